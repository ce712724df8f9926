"""Pagination: ``offset`` and ``limit`` query parameters, the page size capped."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from graphsvc.api.schemas import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


async def get_paging(
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (at most {MAX_PAGE_SIZE}).")
    ] = DEFAULT_PAGE_SIZE,
) -> Paging:
    return Paging(offset, limit)


PagingDep = Annotated[Paging, Depends(get_paging)]


def page_of[T](items: Sequence[T], paging: Paging) -> Page[T]:
    return Page[T](
        items=list(items[paging.offset : paging.offset + paging.limit]),
        total=len(items),
        offset=paging.offset,
        limit=paging.limit,
    )


def page_built[S, T](items: Sequence[S], paging: Paging, build: Callable[[S], T]) -> Page[T]:
    """A page of ``items``, each turned into its public form only if it is on the page."""
    chosen = items[paging.offset : paging.offset + paging.limit]
    return Page[T](
        items=[build(item) for item in chosen],
        total=len(items),
        offset=paging.offset,
        limit=paging.limit,
    )
