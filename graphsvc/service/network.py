"""The application layer: every change to the network goes through :class:`Network`,
and every cache the service keeps lives behind it.

The CLI and the HTTP routes only translate input and output. A change here
writes to the store, then tells the caches what it touched:

- an import, a review decision or an introduction's outcome moves the graph
  version; answers keep coming from the last finished analysis while the
  next one is computed in the background (:mod:`graphsvc.service.generations`);
- a change of someone's visibility takes effect in what is served at once
  (the store marks it, so this holds whoever wrote it);
- an erasure drops every cache, in memory and on disk, before it returns.
"""

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.accounts.store import AccountError
from graphsvc.config import get_settings
from graphsvc.model import (
    BuddyWith,
    IntroducedTo,
    IntroductionStatus,
    NodeRecord,
    Provenance,
    RelationshipRecord,
)
from graphsvc.privacy import erase_person, export_person
from graphsvc.service import my_record as records
from graphsvc.service import self_description
from graphsvc.service.generations import Freshness, Generation, Generations
from graphsvc.service.imports import StageCallback, import_file, undo_cut_short_imports
from graphsvc.service.options import ImportOptions
from graphsvc.service.preview import ImportPreview, people_named, preview_file
from graphsvc.service.saved import SavedGeneration
from graphsvc.service.view import NetworkView
from graphsvc.store import GraphStore, open_store
from graphsvc.store.graph_store import ProgressCallback
from importers.report import ImportReport

if TYPE_CHECKING:  # the analysis stack is imported where it is used (see generations)
    from graphsvc.access import Role
    from graphsvc.accounts import User
    from graphsvc.accounts.links import AccountLink
    from graphsvc.accounts.merges import MergeRecord
    from graphsvc.analysis.pipeline import Analysis
    from graphsvc.analysis.weights import IntroductionWeights
    from graphsvc.service.buddying import ConfirmedPair, Proposal
    from graphsvc.service.introduction_requests import IntroductionRequests
    from graphsvc.service.stewardship import Rectification
    from graphsvc.service.ties import MemberTies
    from graphsvc.store.snapshot import Snapshot

log = logging.getLogger("graphsvc.service")

__all__ = ["Current", "ImportDone", "Network", "network_of", "open_network", "store_identity"]


@dataclass(frozen=True)
class Current:
    """What to answer one request from: a generation and how fresh it is."""

    generation: Generation
    freshness: Freshness

    @property
    def view(self) -> NetworkView:
        return self.generation.view


@dataclass(frozen=True)
class ImportDone:
    """An import's report, as kept in the list of past imports."""

    id: int
    created: str
    report: dict[str, Any]

    @property
    def written(self) -> bool:
        return bool(self.report.get("written"))


class Network:
    """One network: its store, its accounts, and what is computed from them.

    Parameters
    ----------
    store, accounts
        Where the network and its users live; closed by :meth:`close` only if
        ``owns`` says so.
    saved
        The file that keeps the latest analysis across restarts (none: memory only).
    background
        Refresh the analysis in the background after a change (the service);
        commands, which exit first, compute it when asked instead.
    weights
        What introductions are scored with (default: the defaults); a saved
        analysis scored otherwise is not used.
    """

    def __init__(
        self,
        store: GraphStore,
        accounts: AccountStore,
        *,
        saved: Path | None = None,
        background: bool = True,
        owns: bool = False,
        weights: "IntroductionWeights | None" = None,
    ) -> None:
        self.store = store
        self.accounts = accounts
        self._owns = owns
        self._generations = Generations(
            store,
            SavedGeneration(saved, store_identity(store), weights) if saved else None,
            background=background,
            weights=weights,
        )
        self._weights = weights
        try:
            self._undo_cut_short_imports()
        except Exception as exc:
            # A store that cannot be written now (a full disk) can still be read;
            # the next import tries again, and will not start until it succeeds.
            log.warning("an import cut short could not be undone yet (%s)", type(exc).__name__)

    # --- reading ---------------------------------------------------------------------

    def current(self) -> Current:
        """The generation to answer from now (waits only if none may be served)."""
        generation, freshness = self._generations.current()
        return Current(generation, freshness)

    def view(self) -> NetworkView:
        return self.current().view

    def analysis(self, current: Current | None = None) -> "Analysis":
        """The analysis answers come from: the last finished one."""
        return self._generations.analysis_of((current or self.current()).generation)

    def warm_up(self) -> None:
        """Start reading the saved analysis, if any, so the first pages need not wait."""
        self._generations.warm_up()

    def freshness(self) -> Freshness:
        """How fresh the answers are, without computing anything."""
        return self._generations.freshness()

    def wait_until_current(self, timeout: float = 600.0) -> Current:
        """Wait for the background refresh to catch up with the store (scripts, tests)."""
        generation = self._generations.wait_until_current(timeout)
        return Current(generation, self._generations.freshness())

    def analyse(
        self, seed: int = 0, on_stage: Callable[[str], None] | None = None
    ) -> tuple["Snapshot", "Analysis"]:
        """The network as it is now and its analysis, for commands that print it.

        The service's own (saved) analysis serves when it is of this version;
        otherwise it is computed now (and saved for the service), telling
        ``on_stage`` each stage. Another ``seed`` is computed apart.
        """
        if seed != 0:
            from graphsvc.analysis.pipeline import analyse

            version, snapshot = self.store.version(), self.store.network()
            return snapshot, analyse(
                snapshot,
                version,
                seed=seed,
                on_stage=on_stage,
                introduction_weights=self._weights,
            )
        generation = self._generations.build_now(on_stage)
        return generation.view.snapshot, generation.analysis()

    # --- changes ---------------------------------------------------------------------

    def import_file(
        self,
        path: Path,
        options: ImportOptions,
        *,
        user_id: int | None = None,
        on_stage: StageCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> ImportDone:
        """Import a file; its report is kept with the past imports, written or not.

        A file takes effect whole or not at all. Raises
        :class:`graphsvc.errors.GraphsvcError` for a file that cannot be read at
        all (nothing is kept then), and when writing fails part way: what was
        written is undone first, and a report saying so is kept. Imports a
        stopped process left unfinished are undone first (see
        :func:`graphsvc.service.imports.undo_cut_short_imports`).
        """
        self._undo_cut_short_imports()
        kept: list[ImportDone] = []

        def keep(report: ImportReport) -> None:
            kept.append(self._keep_report(report, user_id))

        purged = self.store.state().purged
        try:
            report = import_file(
                self.store,
                path,
                options,
                on_stage=on_stage,
                on_progress=on_progress,
                user_id=user_id,
                keep=keep,
            )
        except BaseException:
            self._purge_if_undone(purged)
            raise
        if report.written:
            self._generations.refresh_soon()
        done = kept[-1] if kept else self._keep_report(report, user_id)
        self.audit(user_id, "import.done", report=str(done.id), written=str(done.written).lower())
        return done

    def preview_import(self, path: Path, options: ImportOptions) -> ImportPreview:
        """What importing a file would do, row by row; nothing is written or kept.

        Raises :class:`graphsvc.errors.GraphsvcError` as :meth:`import_file` does
        for a file that cannot be read at all.
        """
        return preview_file(self.store, path, options)

    def people_in_report(self, report: dict[str, Any], limit: int = 200) -> dict[str, str]:
        """The names of the people a kept report names (the first ``limit`` of each
        list), as they are stored now: an erased person is not among them."""
        ids: set[str] = set()
        for name in ("added", "merges", "changed", "review"):
            for row in report.get(name, [])[:limit]:
                ids.update(row[key] for key in ("person", "candidate") if key in row)
        return people_named(self.store, ids)

    def _undo_cut_short_imports(self) -> None:
        """Undo the imports a stopped process left unfinished, keeping a report of each."""

        def keep(user_id: int | None, report: ImportReport) -> None:
            self.accounts.save_import_report(user_id, report.to_json())

        if undo_cut_short_imports(self.store, keep):
            # What is computed from a version mid-import may show what is now removed.
            self._generations.purge()

    def _purge_if_undone(self, purged: int) -> None:
        """After a failed import: drop the caches if undoing it removed anything (or
        if the store cannot say)."""
        try:
            undone = self.store.state().purged != purged
        except Exception:
            undone = True
        if undone:
            self._generations.purge()

    def _keep_report(self, report: ImportReport, user_id: int | None) -> ImportDone:
        report_id = self.accounts.save_import_report(user_id, report.to_json())
        found = self.accounts.import_report(report_id)
        assert found is not None
        return ImportDone(*found)

    def keep_apart(self, person: str, candidate: str, *, actor_user_id: int | None = None) -> bool:
        """Record that a pair an import could not tell apart are two people (audited)."""
        kept = self.store.keep_apart(person, candidate)
        if kept:
            self._generations.refresh_soon()
            self.audit(actor_user_id, "review.kept_apart", person, candidate=candidate)
        return kept

    def record_introduction(
        self,
        a: str,
        b: str,
        status: IntroductionStatus,
        *,
        by: str | None,
        user_id: int | None,
    ) -> IntroducedTo:
        """Record what came of introducing ``a`` and ``b`` (one tie per pair, either way
        round: an outcome recorded the other way updates it)."""
        start, end = (b, a) if self.store.has_relationship("INTRODUCED_TO", b, a) else (a, b)
        today = dt.date.today()
        source = f"api:user:{user_id}" if user_id is not None else "cli"
        record = IntroducedTo(
            start=start,
            end=end,
            by=by,
            date=today,
            status=status,
            provenance=Provenance(source=source, first_seen=today, last_seen=today),
        )
        self.store.upsert_relationships([record])
        introducer = {"introducer": by} if by else {}
        self.audit(
            user_id, "introduction.recorded", start, other=end, outcome=status.value, **introducer
        )
        self._generations.refresh_soon()
        return record

    def export_person(
        self, person_id: str, *, actor_user_id: int | None = None
    ) -> dict[str, Any] | None:
        """Everything held about a person, for their access request (audited)."""
        held = export_person(self.store, self.accounts, person_id)
        if held is not None:
            self.audit(actor_user_id, "person.exported", person_id)
        return held

    def erase_person(self, person_id: str, *, actor_user_id: int | None = None) -> bool:
        """Erase a person from the store and its files, the accounts and every cache.

        The store records the erasure, so a service elsewhere on the same store
        drops its caches at its next request too. The audit log loses every entry
        about them and records only that an erasure happened, not of whom. False
        if there is no such person.
        """
        try:
            erased = erase_person(self.store, self.accounts, person_id)
        except BaseException:
            # The erasure may have been written before what failed (rewriting the
            # database's files): nothing cached may outlive it either way.
            self._generations.purge()
            raise
        if erased:
            self._generations.purge()
            self.audit(actor_user_id, "person.erased")
        return erased

    def replace_with(
        self,
        nodes: Iterable[NodeRecord],
        relationships: Iterable[RelationshipRecord],
        *,
        meta: dict[str, Any],
        on_nodes: ProgressCallback | None = None,
        on_relationships: ProgressCallback | None = None,
    ) -> None:
        """Replace the whole network (the demo's synthetic one) and tidy the store's files.

        Everything held before is cleared, which drops every cache; ``meta`` is
        recorded with the graph, and marked complete only once all is written.
        """
        self.store.clear()
        self._generations.purge()
        self.store.set_graph_meta(**meta, demo_complete=False)
        written = self.store.upsert_nodes(nodes, on_progress=on_nodes)
        # Every node is new to the emptied store: its relationships need no reading first.
        self.store.upsert_relationships(
            relationships, on_progress=on_relationships, new_nodes=written.created_ids
        )
        self.store.set_graph_meta(demo_complete=True)
        self.store.compact()

    # --- the audit log ---------------------------------------------------------------

    def audit(
        self, actor_user_id: int | None, action: str, subject: str | None = None, **ids: str
    ) -> None:
        """Record in the audit log that ``actor_user_id`` (None: the command line) did
        ``action`` (dotted words: "record.changed") to node ``subject``, with further
        ids only: never names, emails or phone numbers (AuditError if a value is not
        an id). See :mod:`graphsvc.accounts.audit`."""
        self.accounts.audit.record(actor_user_id, action, subject, ids)

    # --- an admin's stewardship and accounts (see service/stewardship.py) -------------

    def rectify_person(
        self, person_id: str, change: "Rectification", *, actor_user_id: int | None
    ) -> list[str] | None:
        """Correct a person's record (the fields that changed; None: no such person),
        audited by field name, never value; every cache refreshes."""
        from graphsvc.service.stewardship import rectify_person

        source = f"rectified:user:{actor_user_id}" if actor_user_id is not None else "cli"
        changed = rectify_person(self.store, person_id, change, source)
        if changed:
            self._generations.refresh_soon()
            self.audit(actor_user_id, "record.rectified", person_id, fields=",".join(changed))
        return changed

    def merge_people(self, kept: str, gone: str, *, actor_user_id: int | None) -> "MergeRecord":
        """Merge two records the review list found to be one person (audited, undoable)."""
        from graphsvc.service.stewardship import merge_people

        record = merge_people(self.store, self.accounts, kept, gone, actor_user_id)
        self._generations.refresh_soon()
        self.audit(actor_user_id, "person.merged", kept, merged=gone, merge=str(record.id))
        return record

    def undo_merge(self, merge_id: int, *, actor_user_id: int | None) -> "MergeRecord | None":
        """Undo a merge from its record: both people back as they were (audited)."""
        from graphsvc.service.stewardship import undo_merge

        record = undo_merge(self.store, self.accounts, merge_id)
        if record is not None:
            self._generations.refresh_soon()
            self.audit(
                actor_user_id,
                "person.merge_undone",
                record.kept,
                restored=record.gone,
                merge=str(record.id),
            )
        return record

    def merged_into(self, person_id: str) -> str | None:
        """The record a merged-away id now lives on, or None."""
        return self.accounts.merges.merged_into(person_id)

    def invite_person(
        self, person_id: str, email: str | None, role: "Role", *, actor_user_id: int | None
    ) -> tuple["AccountLink", str] | None:
        """A one-time link making an account linked to a person (to their stored email
        unless ``email`` is given), and its secret; None if there is no such person."""
        stored = self.store.person(person_id)
        if stored is None:
            return None
        address = (email or stored.get("email") or "").strip()
        if not address:
            raise AccountError("the person has no email address: give one for the account")
        days = get_settings().invite_days
        made = self.accounts.invite(person_id, address, role, dt.timedelta(days=days))
        self.audit(actor_user_id, "account.invited", person_id, role=role.value)
        return made

    def password_reset_link(
        self, user_id: int, *, actor_user_id: int | None
    ) -> tuple["AccountLink", str]:
        """A one-time link setting a new password for a user, and its secret."""
        hours = get_settings().reset_hours
        made = self.accounts.reset_link(user_id, dt.timedelta(hours=hours))
        self.audit(actor_user_id, "account.reset_issued", made[0].person_id, user=str(user_id))
        return made

    def use_account_link(self, secret: str, password: str) -> "User | None":
        """Use an invitation or reset link once, with the password chosen."""
        link = self.accounts.links.peek(secret)
        user = self.accounts.use_link(secret, password)
        if user is not None and link is not None:
            action = "account.created" if link.kind == "invite" else "account.password_reset"
            self.audit(user.id, action, user.person_id, user=str(user.id))
        return user

    def change_role(self, user_id: int, role: "Role", *, actor_user_id: int | None) -> bool:
        """Give a user another role (audited); False if there is no such user."""
        changed = self.accounts.set_role(user_id, role)
        if changed:
            self.audit(actor_user_id, "role.changed", None, user=str(user_id), role=role.value)
        return changed

    # --- ties members name, and introductions they ask for ----------------------------

    @functools.cached_property
    def ties(self) -> "MemberTies":
        """Ties members name (pending until confirmed, then KNOWS) and survey rounds."""
        from graphsvc.service.ties import MemberTies

        return MemberTies(self, self._generations.refresh_soon)

    @functools.cached_property
    def introduction_requests(self) -> "IntroductionRequests":
        """Introductions members ask for: passed on, both asked, contact shared on two yeses."""
        from graphsvc.service.introduction_requests import IntroductionRequests

        return IntroductionRequests(self)

    # --- a member's own record (graphsvc.service.my_record) ---------------------------

    def my_record(self, person_id: str) -> records.MyRecord | None:
        """Everything held about a person, in plain words, for them to read."""
        return records.record_of(self.store, self.accounts, person_id, buddying_offered=True)

    def change_my_record(
        self,
        person_id: str,
        change: records.RecordChange,
        *,
        actor_user_id: int | None,
        buddying: bool | None = None,
    ) -> records.RecordChanged:
        """Make a member's change to their own record (RecordChangeError if it cannot
        be made); a visibility takes effect at once, the rest at the next refresh."""
        source = f"self:user:{actor_user_id}" if actor_user_id is not None else "self"
        done = records.change_record(self.store, self.view(), person_id, change, source)
        if buddying is not None:
            self.set_buddying(person_id, buddying, actor_user_id)
        if done.fields:
            self._generations.refresh_soon()
            fields = ".".join(sorted(done.fields))
            self.audit(actor_user_id, "record.changed", person_id, fields=fields)
        return done

    def request_erasure(self, person_id: str, *, asked: bool, actor_user_id: int | None) -> bool:
        """Ask for a person's erasure, or withdraw the request; an admin confirms it."""
        done = records.request_erasure(self.store, person_id, asked)
        if done:
            action = "erasure.requested" if asked else "erasure.withdrawn"
            self.audit(actor_user_id, action, person_id)
        return done

    def erasure_requests(self) -> list[records.ErasureRequest]:
        return records.erasure_requests(self.store)

    def decline_erasure(self, person_id: str, *, actor_user_id: int | None) -> bool:
        """Set a request aside (the admin tells the person why); False if none waits."""
        if person_id not in {r.person_id for r in self.erasure_requests()}:
            return False
        records.request_erasure(self.store, person_id, False)
        self.audit(actor_user_id, "erasure.declined", person_id)
        return True

    def confirm_erasure(self, person_id: str, *, actor_user_id: int | None) -> bool:
        """Erase a person who asked for it (see :meth:`erase_person`); False if they did not."""
        if person_id not in {r.person_id for r in self.erasure_requests()}:
            return False
        return self.erase_person(person_id, actor_user_id=actor_user_id)

    def self_description_questions(self) -> list[self_description.Question]:
        return self_description.questions(self.store)

    def set_self_description_questions(
        self, given: Iterable[dict[str, Any]], *, actor_user_id: int | None
    ) -> list[self_description.Question]:
        """Replace the questions an admin adds (QuestionError for one that cannot be asked)."""
        found = self_description.set_configured_questions(self.store, given)
        self.audit(actor_user_id, "questions.changed", count=str(len(found)))
        return found

    def self_description_counts(self) -> list[self_description.AnswerCounts]:
        """How many gave each answer to each question: counts only, never who."""
        return self_description.answer_counts(self.store)

    # --- buddying (graphsvc.service.buddying) -----------------------------------------

    def set_buddying(self, person_id: str, opted_in: bool, actor_user_id: int | None) -> None:
        """Record whether a person asked to be paired in buddying rounds (a member on
        their own page, or an admin for them). Raises KeyError for no such person."""
        if not self.store.update_person(person_id, {"buddying_opt_in": opted_in}):
            raise KeyError(person_id)
        action = "buddying.opted_in" if opted_in else "buddying.opted_out"
        self.audit(actor_user_id, action, person_id)

    def propose_buddies(self, name: str, across: str) -> "Proposal":
        """The pairs a buddying round would make now, with their reasons."""
        from graphsvc.service.buddying import propose_round

        current = self.current()
        return propose_round(self.store, current.view, self.analysis(current), name, across)

    def confirm_buddies(
        self, name: str, across: str, pairs: list[tuple[str, str]], actor_user_id: int | None
    ) -> list[BuddyWith]:
        """Record the pairs of a round a convenor confirmed (BuddyingError if one may not be)."""
        from graphsvc.service.buddying import confirm_round

        current = self.current()
        analysis = self.analysis(current)
        records = confirm_round(
            self.store, current.view, analysis, name, across, pairs, actor_user_id
        )
        for record in records:
            self.audit(actor_user_id, "buddying.paired", record.start, buddy=record.end)
        return records

    def buddy_pairs(self) -> "list[ConfirmedPair]":
        """Every confirmed buddy pair whose people may still be named, newest first."""
        from graphsvc.service.buddying import confirmed_pairs

        return confirmed_pairs(self.store, self.view())

    # --- life ------------------------------------------------------------------------

    def close(self) -> None:
        self._generations.close()
        if self._owns:
            self.accounts.close()
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def store_identity(store: GraphStore) -> str:
    """Which store a saved analysis is of: backend, place, graph and database."""
    address = store.address
    return f"{address.backend}:{address.target}:{address.graph}:{address.database}"


def network_of(graph: GraphStore, store: str | None = None, *, background: bool = False) -> Network:
    """The network of an open store (named by the ``--store`` option ``store``), with
    its accounts file and saved analysis; closing it closes the store too.
    ``background`` refreshes the analysis after changes (for the service)."""
    settings = get_settings()
    try:
        weights = settings.introduction_weight_values  # a bad setting stops it here
        users = open_accounts(settings.accounts_path(store))
    except BaseException:
        graph.close()
        raise
    saved = settings.saved_analysis_path(store)
    return Network(graph, users, saved=saved, background=background, owns=True, weights=weights)


@contextmanager
def open_network(store: str | None = None, *, background: bool = False) -> Iterator[Network]:
    """The network named by a ``--store`` option (default: the configured store),
    closed at the end."""
    with network_of(open_store(store), store, background=background) as network:
        yield network
