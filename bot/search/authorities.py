"""Passages by the authority they are and cite: look-ups with the grammar's containment."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bot.core.cite_parse import inside
from bot.core.errors import InputError
from bot.core.types import Passage
from bot.index.passage_keys import PassageKey


class AuthorityIndex:
    """Passages by the authority they are and the authorities they cite, with containment.

    Built once per generation so that a question naming `Rule 26(b)` costs dictionary
    look-ups, not a scan of every passage: ids are keyed by each of their enclosing ids
    (`26(b)(1)(A)` also under `26(b)(1)`, `26(b)` and `26`), checked with the one
    containment rule of the citation grammar.
    """

    def __init__(self, passages: Sequence[Passage | PassageKey]) -> None:
        self._length = {i: len(p.authority or "") for i, p in enumerate(passages)}
        self.exact: dict[str, list[int]] = {}
        self.within: dict[str, list[int]] = {}  # enclosing id -> passages inside it
        citing: dict[str, set[int]] = {}
        enclosing_of: dict[str, list[str]] = {}  # each distinct id is parsed once

        def outers_of(authority: str) -> list[str]:
            # Not setdefault(id, enclosing(id)): that parses the id again for every passage.
            found = enclosing_of.get(authority)
            if found is None:
                found = enclosing_of[authority] = enclosing(authority)
            return found

        for i, p in enumerate(passages):
            if p.authority:
                self.exact.setdefault(p.authority, []).append(i)
                for outer in outers_of(p.authority):
                    self.within.setdefault(outer, []).append(i)
            for mention in p.mentions:
                for outer in (mention, *outers_of(mention)):
                    citing.setdefault(outer, set()).add(i)
        # enclosing id -> passages citing inside it, in passage order (sorted once, not per query)
        self.citing: dict[str, list[int]] = {k: sorted(v) for k, v in citing.items()}
        self.known = frozenset((*self.exact, *self.within, *self.citing))

    def knows(self, authority: str) -> bool:
        """True when some passage is, or cites, this authority or something inside it."""
        return authority in self.known

    def related(self, target: str) -> Iterator[int]:
        """The passage that is `target`, those inside it, those around it, then those citing
        it; lazily, so a caller that needs the first few never walks the rest."""
        yield from self.exact.get(target, ())
        yield from self.within.get(target, ())
        yield from sorted(
            (i for outer in enclosing(target) for i in self.exact.get(outer, ())),
            key=lambda i: -self._length[i],
        )
        yield from self.citing.get(target, ())


def enclosing(authority: str) -> list[str]:
    """The ids that contain `authority`, innermost first: `5(d)(1)` gives `5(d)`, then `5`."""
    found = []
    outer = authority
    while outer.endswith(")") and "(" in outer:
        outer = outer[: outer.rindex("(")]
        try:
            if inside(outer, authority):
                found.append(outer)
        except InputError:
            # An id the grammar cannot read (an index built by an older version, a rule
            # number no rule set has) contains nothing: it still matches itself exactly.
            break
    return found
