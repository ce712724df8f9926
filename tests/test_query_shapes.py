"""The store has a query for every node kind and relationship shape the model declares.

The per-kind and per-shape queries are looked up by kind or by (type, start
kind, end kind) while writing and reading: a missing entry would fail only
when that kind or shape is first written, and an extra one would be a query
for something the model cannot make. These compare each dict with the model's
own declarations, not with the other dicts.
"""

import re

import pytest

from graphsvc.model import NODE_TYPES, RELATIONSHIP_TYPES
from graphsvc.store import queries

NODE_KINDS = set(NODE_TYPES)
RELATIONSHIP_SHAPES = {
    (cls.TYPE, start, end)
    for cls in RELATIONSHIP_TYPES.values()
    for start in cls.START_KINDS
    for end in cls.END_KINDS
}
# Possible matches wait for a person's decision: they say nothing about who
# works with whom, so analysis never reads them.
KEPT_OUT_OF_ANALYSIS = {"MAY_BE_SAME", "BUDDY_WITH"}
# The graph-metadata node is not a node kind, but its id is indexed like one.
META_LABEL = "GraphMeta"

PER_KIND = ["UPSERT_NODES", "NODES_BY_ID", "STORED_NODE_IDS", "NETWORK_NODES", "CREATE_NODES"]
PER_LABEL = ["FALKORDB_ID_INDEX", "NEO4J_ID_CONSTRAINT"]
PER_SHAPE = ["UPSERT_RELATIONSHIPS", "RELATIONSHIP_STATE", "CREATE_RELATIONSHIPS"]
PER_TYPE = ["RELATIONSHIPS_OF_TYPE", "NETWORK_RELATIONSHIPS", "RELATIONSHIPS_WITH_ENDS"]


def _per_kind_or_type(name: str) -> dict[str, str]:
    found: dict[str, str] = getattr(queries, name)
    return found


def _per_shape(name: str) -> dict[tuple[str, str, str], str]:
    found: dict[tuple[str, str, str], str] = getattr(queries, name)
    return found


def _missing_and_extra(keys: set[object], declared: set[object]) -> dict[str, set[object]]:
    return {"missing": declared - keys, "not in the model": keys - declared}


NO_DIFFERENCE: dict[str, set[object]] = {"missing": set(), "not in the model": set()}


@pytest.mark.parametrize("name", PER_KIND)
def test_each_per_kind_dict_has_a_query_for_every_node_kind_and_no_other(name: str) -> None:
    keys = set(_per_kind_or_type(name))
    assert _missing_and_extra(keys, NODE_KINDS) == NO_DIFFERENCE, name


@pytest.mark.parametrize("name", PER_LABEL)
def test_every_node_kind_and_the_graph_metadata_have_their_ids_indexed(name: str) -> None:
    keys = set(_per_kind_or_type(name))
    assert _missing_and_extra(keys, {*NODE_KINDS, META_LABEL}) == NO_DIFFERENCE, name


@pytest.mark.parametrize("name", PER_SHAPE)
def test_each_per_shape_dict_has_a_query_for_every_shape_the_model_allows_and_no_other(
    name: str,
) -> None:
    keys = set(_per_shape(name))
    assert _missing_and_extra(keys, RELATIONSHIP_SHAPES) == NO_DIFFERENCE, name


def test_a_snapshot_reads_every_relationship_type_and_no_other() -> None:
    keys = set(queries.RELATIONSHIPS_OF_TYPE)
    assert _missing_and_extra(keys, set(RELATIONSHIP_TYPES)) == NO_DIFFERENCE


def test_the_network_reads_chosen_properties_of_every_node_kind() -> None:
    for name in ("NETWORK_NODE_PROPERTIES", "NETWORK_NODES"):
        keys = set(getattr(queries, name))
        assert _missing_and_extra(keys, NODE_KINDS) == NO_DIFFERENCE, name


def test_the_network_reads_every_relationship_type_except_possible_matches() -> None:
    assert KEPT_OUT_OF_ANALYSIS.issubset(RELATIONSHIP_TYPES), "the exclusion names a real type"
    analysed = set(RELATIONSHIP_TYPES) - KEPT_OUT_OF_ANALYSIS
    for name in ("NETWORK_RELATIONSHIP_PROPERTIES", "NETWORK_RELATIONSHIPS"):
        keys = set(getattr(queries, name))
        assert _missing_and_extra(keys, analysed) == NO_DIFFERENCE, name


@pytest.mark.parametrize("name", PER_KIND + PER_LABEL)
def test_each_per_kind_query_names_the_label_it_is_filed_under(name: str) -> None:
    for label, query in _per_kind_or_type(name).items():
        assert f"(n:{label} " in query or f"(n:{label})" in query, (name, label, query)
        others = (NODE_KINDS | {META_LABEL}) - {label}
        assert not [other for other in others if f":{other}" in query], (name, label, query)


@pytest.mark.parametrize("name", PER_SHAPE)
def test_each_per_shape_query_names_the_type_and_end_kinds_it_is_filed_under(name: str) -> None:
    for (rel_type, start, end), query in _per_shape(name).items():
        for part in (f"(a:{start} ", f"(b:{end} ", f"[r:{rel_type}]"):
            assert part in query, (name, (rel_type, start, end), query)


@pytest.mark.parametrize("name", PER_TYPE)
def test_each_per_type_query_names_the_type_it_is_filed_under(name: str) -> None:
    for rel_type, query in _per_kind_or_type(name).items():
        assert f"[r:{rel_type}]" in query, (name, rel_type, query)


def _returned_columns(query: str) -> list[str]:
    return query.split(" RETURN ", 1)[1].split(", ")


def test_the_network_reads_node_properties_the_model_declares_one_column_each() -> None:
    for kind, names in queries.NETWORK_NODE_PROPERTIES.items():
        record = NODE_TYPES[kind]
        declared = {*record.model_fields, *record.model_computed_fields}
        assert set(names) <= declared, (kind, set(names) - declared)
        columns = _returned_columns(queries.NETWORK_NODES[kind])
        plain = [c for c in columns if not c.startswith(("reduce(", "x IN"))]
        # a list of phrases is one column too, its phrases joined by the query
        read = list(dict.fromkeys(re.findall(r"\bn\.(\w+)", ", ".join(columns))))
        assert read == ["id", *names], kind
        assert set(plain) <= {"n.id", *(f"n.{name}" for name in names)}, kind


def test_the_network_reads_relationship_properties_the_model_declares_one_column_each() -> None:
    for rel_type, names in queries.NETWORK_RELATIONSHIP_PROPERTIES.items():
        fields = RELATIONSHIP_TYPES[rel_type].model_fields
        assert set(names) <= set(fields), (rel_type, set(names) - set(fields))
        columns = _returned_columns(queries.NETWORK_RELATIONSHIPS[rel_type])
        assert columns[:2] == ["a.id", "b.id"], rel_type
        assert len(columns) == 2 + len(names), rel_type
        for name, column in zip(names, columns[2:], strict=True):
            if name in queries.NETWORK_FLAGS:
                # Read as 1 or 0, and as true when not stored: the model's default.
                assert fields[name].annotation is bool, (rel_type, name)
                assert fields[name].default is True, (rel_type, name)
                assert column == f"CASE WHEN r.{name} = false THEN 0 ELSE 1 END"
            else:
                assert column == f"r.{name}", (rel_type, name)
