"""The embedded store's own parameter writer says exactly what falkordb-py's would."""

import random

import pytest
from falkordb.helpers import stringify_param_value

from graphsvc.store.falkordb_embedded import cypher_literal

TRICKY_TEXT = [
    "",
    "plain",
    'quote "here"',
    "back\\slash",
    '\\"',
    "Zoë O'Brien",
    "line\nbreak",
    "tab\t",
]


def _random_value(rng: random.Random, depth: int = 0) -> object:
    choice = rng.randrange(8 if depth < 3 else 5)
    if choice == 0:
        return rng.choice(TRICKY_TEXT)
    if choice == 1:
        return rng.randint(-(10**12), 10**12)
    if choice == 2:
        return rng.random() * 1e6
    if choice == 3:
        return rng.choice([True, False, None])
    if choice == 4:
        return "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(12)))
    if choice == 5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if choice == 6:
        return tuple(_random_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    return {
        rng.choice(["id", "props", "first_seen", "@type", "a-b", "x y"]): _random_value(
            rng, depth + 1
        )
        for _ in range(rng.randrange(4))
    }


@pytest.mark.parametrize("seed", range(20))
def test_parameters_are_written_as_falkordb_py_writes_them(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        value = _random_value(rng)
        assert cypher_literal(value) == stringify_param_value(value), value


def test_map_keys_falkordb_cannot_read_are_refused_alike() -> None:
    for key in ("", "a`b"):
        with pytest.raises(ValueError):
            stringify_param_value({key: 1})
        with pytest.raises(ValueError):
            cypher_literal({key: 1})
