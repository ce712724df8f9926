"""Merging two Person nodes found to be one person, and undoing it.

A merge is planned from what is stored (:func:`plan_merge`), and the plan is
everything needed to undo it: the merged-away node as it was, its own
relationships, the kept node's properties before and after, and which of the
kept node's relationships the merge created or changed. Both directions are
written as one unit with the graph version moved, through the shared queries.

Relationships of the merged-away person move onto the kept one; one that the
kept person already has (the same type, to the same node) is kept, its
provenance widened to both sightings. Relationships between the two (the
possible match that found them) go. Introductions the merged-away person is
named as making name the kept one.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from graphsvc.model.provenance import merge_provenance
from graphsvc.model.relationships import kind_of
from graphsvc.store import queries
from graphsvc.store.query_runner import Statement

Props = dict[str, Any]
# The kept person's own words win; these are never filled in from the other record.
NEVER_FILLED = frozenset({"id", "name", "name_folded", "visibility"})
PROVENANCE = ("source", "first_seen", "last_seen")
# Answers kept as one JSON object (question -> answer): filled in question by question,
# so an answer only the other record gave is not lost to one the kept record gave.
FILLED_BY_KEY = frozenset({"self_description"})
# A request kept as the date it was made: the earlier of the two stands, since the
# person asked then.
EARLIER_DATE = frozenset({"erasure_requested"})


@dataclass
class StoredTie:
    """One relationship as stored: its type, ends and properties."""

    type: str
    start: str
    end: str
    props: Props

    @property
    def shape(self) -> tuple[str, str, str]:
        return (self.type, kind_of(self.start), kind_of(self.end))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.start, self.end)


@dataclass
class ChangedTie:
    """A relationship of the kept person's that the merge changed."""

    tie: StoredTie
    before: Props


@dataclass
class PersonMerge:
    """What merging ``gone`` into ``kept`` does, and so what undoing it puts back."""

    kept: str
    gone: str
    gone_node: Props
    gone_ties: list[StoredTie]
    kept_before: Props
    kept_after: Props
    created: list[StoredTie] = field(default_factory=list)
    changed: list[ChangedTie] = field(default_factory=list)
    # Introductions (start, end) the merged-away person was named as making.
    introduced: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PersonMerge":
        return cls(
            kept=data["kept"],
            gone=data["gone"],
            gone_node=data["gone_node"],
            gone_ties=[StoredTie(**t) for t in data["gone_ties"]],
            kept_before=data["kept_before"],
            kept_after=data["kept_after"],
            created=[StoredTie(**t) for t in data["created"]],
            changed=[ChangedTie(StoredTie(**c["tie"]), c["before"]) for c in data["changed"]],
            introduced=[(a, b) for a, b in data["introduced"]],
        )


def plan_merge(
    kept: str,
    gone: str,
    kept_node: Props,
    gone_node: Props,
    kept_ties: Iterable[StoredTie],
    gone_ties: Iterable[StoredTie],
    introduced: Iterable[tuple[str, str]],
) -> PersonMerge:
    """The merge of ``gone`` into ``kept``, from their nodes and relationships as stored."""
    gone_list = list(gone_ties)
    existing = {t.key: t for t in kept_ties}
    plan = PersonMerge(
        kept=kept,
        gone=gone,
        gone_node=dict(gone_node),
        gone_ties=gone_list,
        kept_before=dict(kept_node),
        kept_after=_merged_node(kept_node, gone_node),
        introduced=list(introduced),
    )
    moved: dict[tuple[str, str, str], StoredTie] = {}
    for tie in gone_list:
        start = kept if tie.start == gone else tie.start
        end = kept if tie.end == gone else tie.end
        if start == end:
            continue  # between the two: the possible match, or a tie to oneself
        onto = StoredTie(tie.type, start, end, dict(tie.props))
        if onto.key in moved:
            continue
        moved[onto.key] = onto
        if onto.key in existing:
            stored = existing[onto.key]
            widened = _merged_props(stored.props, onto.props)
            if widened != stored.props:
                plan.changed.append(ChangedTie(StoredTie(*onto.key, widened), dict(stored.props)))
        else:
            plan.created.append(onto)
    return plan


def _merged_node(kept: Props, gone: Props) -> Props:
    """The kept node's properties, with what only the other record knew filled in."""
    merged = dict(kept)
    for name, value in gone.items():
        if name in NEVER_FILLED or name in PROVENANCE:
            continue
        if merged.get(name) in (None, "", []):
            merged[name] = value
        elif name in FILLED_BY_KEY:
            merged[name] = _filled_by_key(merged[name], value)
        elif name in EARLIER_DATE and value:
            merged[name] = min(str(merged[name]), str(value))
    if all(name in gone for name in PROVENANCE) and all(name in kept for name in PROVENANCE):
        merged.update(merge_provenance(gone, {n: kept[n] for n in PROVENANCE}))
    return merged


def _filled_by_key(kept: Any, gone: Any) -> Any:
    """The kept record's JSON object with the keys only the other had; the kept one as
    it is if either cannot be read as an object."""
    try:
        kept_items, gone_items = json.loads(kept), json.loads(gone)
    except (TypeError, ValueError):
        return kept
    if not isinstance(kept_items, dict) or not isinstance(gone_items, dict):
        return kept
    return json.dumps(dict(sorted({**gone_items, **kept_items}.items())))


def _merged_props(kept: Props, gone: Props) -> Props:
    """A relationship both had: the kept one's properties, its span widened to both."""
    merged = {**{k: v for k, v in gone.items() if k not in PROVENANCE}, **kept}
    if all(name in gone for name in PROVENANCE) and all(name in kept for name in PROVENANCE):
        merged.update(merge_provenance(gone, {n: kept[n] for n in PROVENANCE}))
    return merged


def _removing(before: Props, after: Props) -> Props:
    """``before`` as a SET += map from ``after``: what it lacked becomes null (removed)."""
    return {**{name: None for name in after if name not in before}, **before}


def _by_shape(ties: Iterable[StoredTie]) -> dict[tuple[str, str, str], list[StoredTie]]:
    grouped: dict[tuple[str, str, str], list[StoredTie]] = defaultdict(list)
    for tie in ties:
        grouped[tie.shape].append(tie)
    return grouped


def _rows(ties: list[StoredTie], with_props: bool = True) -> dict[str, Any]:
    return {
        "rows": [
            {"start": t.start, "end": t.end, **({"props": t.props} if with_props else {})}
            for t in ties
        ]
    }


def merge_statements(plan: PersonMerge) -> list[Statement]:
    """Write a merge: the kept node filled in, ties moved, the other node removed."""
    statements: list[Statement] = [(queries.LOCK_GRAPH, {})]
    for shape, ties in _by_shape(plan.created).items():
        statements.append((queries.CREATE_RELATIONSHIPS[shape], _rows(ties)))
    for shape, ties in _by_shape(c.tie for c in plan.changed).items():
        statements.append((queries.RESTORE_RELATIONSHIPS[shape], _rows(ties)))
    statements.append(
        (queries.RESTORE_NODES["Person"], {"rows": [{"id": plan.kept, "props": plan.kept_after}]})
    )
    statements.append((queries.RENAME_INTRODUCER, {"was": plan.gone, "now": plan.kept}))
    statements.append((queries.REMOVE_NODES["Person"], {"ids": [plan.gone]}))
    statements.append((queries.BUMP_VERSION, {}))
    return statements


def undo_statements(plan: PersonMerge) -> list[Statement]:
    """Write the undoing of a merge: the other node and its own ties back, the kept
    node and its ties as they were before."""
    statements: list[Statement] = [(queries.LOCK_GRAPH, {})]
    for shape, ties in _by_shape(plan.created).items():
        statements.append((queries.REMOVE_RELATIONSHIPS[shape], _rows(ties, with_props=False)))
    for shape, changes in _by_shape_changed(plan.changed).items():
        rows = [
            {"start": c.tie.start, "end": c.tie.end, "props": _removing(c.before, c.tie.props)}
            for c in changes
        ]
        statements.append((queries.RESTORE_RELATIONSHIPS[shape], {"rows": rows}))
    kept_props = _removing(plan.kept_before, plan.kept_after)
    statements.append(
        (queries.RESTORE_NODES["Person"], {"rows": [{"id": plan.kept, "props": kept_props}]})
    )
    statements.append((queries.CREATE_NODES["Person"], {"rows": [{"props": plan.gone_node}]}))
    for shape, ties in _by_shape(plan.gone_ties).items():
        statements.append((queries.CREATE_RELATIONSHIPS[shape], _rows(ties)))
    if plan.introduced:
        statements.append(
            (
                queries.NAME_INTRODUCER_AGAIN,
                {
                    "rows": [{"start": a, "end": b} for a, b in plan.introduced],
                    "was": plan.kept,
                    "now": plan.gone,
                },
            )
        )
    statements.append((queries.BUMP_VERSION, {}))
    return statements


def _by_shape_changed(
    changes: Iterable[ChangedTie],
) -> dict[tuple[str, str, str], list[ChangedTie]]:
    grouped: dict[tuple[str, str, str], list[ChangedTie]] = defaultdict(list)
    for change in changes:
        grouped[change.tie.shape].append(change)
    return grouped
