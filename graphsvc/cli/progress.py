"""The progress bar long commands show on standard error."""

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from graphsvc.service.imports import StageCallback
from graphsvc.store.graph_store import ProgressCallback


@contextmanager
def progress_bar() -> Iterator[tuple[StageCallback, ProgressCallback]]:
    """A bar on standard error, one stage at a time: a spinner while a stage's
    size is unknown, then a bar. Yields the stage and the step callbacks."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<21}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("starting", total=None)

        def on_stage(stage: str, total: int | None) -> None:
            progress.reset(task, description=stage, total=total)

        yield on_stage, lambda n: progress.advance(task, n)
