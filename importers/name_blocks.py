"""Blocks of names, so that resolution compares a name with a few others, not with all.

Two people are compared letter by letter only when they share a surname and a
first initial (a *surname block*) or a first name and a surname's initial (a
*first-name block*). Most blocks are small, and are compared name by name. But
a file may hold thousands of people of one surname, and comparing each new
name with every earlier one of its block takes time growing with the square of
the block's size. So past ``SCAN_LIMIT`` distinct names a block is *indexed*,
and a lookup reads only the names that may match:

- names a letter apart (one letter changed, added or dropped, or two swapped)
  in the part of the name the block does not fix share a key: that part, or it
  with one letter deleted, so each name has a few keys, however large the
  block (a deletion neighbourhood);
- first names that may be short forms of each other ("Sam", "Samantha") are
  found through the block's first names and their prefixes.

In a small block, names further apart than a letter are still compared, and
may reach the similarity that makes a pair worth reviewing; in an indexed one
they are not.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

# A block is compared name by name up to this many distinct names, then indexed.
SCAN_LIMIT = 64
# Only a name's first characters make its keys: a name longer than this that
# differs from another only further on shares its untouched first part.
KEYED_CHARACTERS = 24
# A key lists at most this many names (the earliest): one shared by more is
# no longer telling names apart.
MAX_NAMES_PER_KEY = 48
# The shortest first name that may be a short form of another ("Al" for "Alan").
MIN_SHORT_FORM = 2


@dataclass(frozen=True, slots=True)
class BlockName:
    """One distinct name of a block: as compared (folded and transliterated, words
    spaced), its first word, the earliest person known by it, and its folded words
    in their own script when that is not Latin's (two names that transliterate
    alike are still two names)."""

    folded: str
    first: str
    person: str
    native: str | None = None

    @property
    def distinct(self) -> str:
        """What makes this name another block name."""
        return self.native or self.folded


def one_edit_keys(text: str) -> set[str]:
    """Keys that two texts a letter apart always share (their first
    ``KEYED_CHARACTERS`` characters, and those with one deleted).

    >>> sorted(one_edit_keys("ann"))
    ['an', 'ann', 'nn']
    >>> bool(one_edit_keys("jonathan") & one_edit_keys("jonathon"))
    True
    """
    start = text[:KEYED_CHARACTERS]
    return {start, *(start[:i] + start[i + 1 :] for i in range(len(start)))}


def may_be_short_form(first: str, other: str) -> bool:
    """Whether one first name may be a short form of the other ("sam", "samantha")."""
    return (
        first != other
        and min(len(first), len(other)) >= MIN_SHORT_FORM
        and (first.startswith(other) or other.startswith(first))
    )


@dataclass(slots=True)
class _Index:
    """Where a large block's names are, by key (positions in the block, earliest first)."""

    by_key: dict[str, list[int]] = field(default_factory=dict)
    # First name -> the earliest name with it; a prefix of first names -> the
    # earliest name whose first name is longer and starts with it.
    first_names: dict[str, int] = field(default_factory=dict)
    extended: dict[str, int] = field(default_factory=dict)


class NameBlock:
    """The distinct names of one block, in the order they were met."""

    __slots__ = ("_fixes_surname", "_index", "_seen", "names")

    def __init__(self, fixes_surname: bool) -> None:
        # A surname block varies in the words before the surname; a first-name
        # block in the words after the first name.
        self._fixes_surname = fixes_surname
        self.names: list[BlockName] = []
        self._seen: set[str] | None = None
        self._index: _Index | None = None

    @property
    def indexed(self) -> bool:
        return self._index is not None

    def add(self, name: BlockName) -> None:
        """Add a name unless the block has it already (its earliest person is kept)."""
        if self._seen is None:
            if any(known.distinct == name.distinct for known in self.names):
                return
        elif name.distinct in self._seen:
            return
        self.names.append(name)
        if self._index is not None:
            self._index_name(len(self.names) - 1)
        elif len(self.names) > SCAN_LIMIT:
            self._index = _Index()
            self._seen = {known.distinct for known in self.names}
            for position in range(len(self.names)):
                self._index_name(position)

    def short_form(self, first: str) -> tuple[BlockName | None, int]:
        """The earliest name whose first name may be a short form of ``first``, or
        of which ``first`` may be one; and how many names were looked at."""
        if self._index is None:
            for looked_at, known in enumerate(self.names, start=1):
                if may_be_short_form(first, known.first):
                    return known, looked_at
            return None, len(self.names)
        index = self._index
        found = [index.first_names.get(first[:end]) for end in range(MIN_SHORT_FORM, len(first))]
        if len(first) >= MIN_SHORT_FORM:
            found.append(index.extended.get(first))
        positions = [p for p in found if p is not None]
        return (self.names[min(positions)] if positions else None), len(positions)

    def candidates(self, folded: str) -> Iterator[BlockName]:
        """The names to compare with ``folded``, in the order they were met: all of a
        small block's, and an indexed block's that are a letter away or nearer."""
        if self._index is None:
            yield from self.names
            return
        positions: set[int] = set()
        for key in one_edit_keys(self._varying(folded)):
            positions.update(self._index.by_key.get(key, ()))
        for position in sorted(positions):
            yield self.names[position]

    def _varying(self, folded: str) -> str:
        if self._fixes_surname:
            return folded.rpartition(" ")[0]
        return folded.partition(" ")[2]

    def _index_name(self, position: int) -> None:
        assert self._index is not None and self._seen is not None
        name = self.names[position]
        self._seen.add(name.distinct)
        by_key = self._index.by_key
        for key in one_edit_keys(self._varying(name.folded)):
            listed = by_key.get(key)
            if listed is None:
                by_key[key] = [position]
            elif len(listed) < MAX_NAMES_PER_KEY:
                listed.append(position)
        if self._fixes_surname:
            self._index.first_names.setdefault(name.first, position)
            for end in range(MIN_SHORT_FORM, len(name.first)):
                self._index.extended.setdefault(name.first[:end], position)
