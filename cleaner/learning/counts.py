"""Counting candidates per group over a corpus, and choosing what is chrome.

A group's chrome is what many of its documents repeat: a line (a footer, a promo, a disclaimer), a frame whose
value varies ("Baca juga: <headline>", "Pewarta: <name>"), a header or footer glued to one-line texts. What is
counted is how many documents hold each candidate, never how often one document repeats it. Memory grows
with the distinct candidates of a group, not with the corpus: past `learn_candidates` of them, those seen in
one document only are forgotten (a rare line cannot reach the thresholds anyway). Counting is in input order
and ties are broken by text, so the same corpus always gives the same choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from cleaner.learning.candidates import HEAD, MIDDLE, TAIL, DocumentCandidates
from cleaner.ruleset.structure import DEFAULT_STRUCTURE, StructureConfig
from cleaner.text.prose import reads_like_prose

#: Documents named as examples in each learned rule's note.
EXAMPLES = 2
#: Share of its documents (tenths) in which a prose line must close the body to be learned.
_CLOSING_TENTHS = 9
#: A frame is learned when its values differ: this many distinct ones are enough to know.
_VALUES_KEPT = 3
#: The words after an opening that are counted (the others are many: the opening is followed by anything).
_AFTER_KEPT = 40


class Kind(Enum):
    """What a learned rule matches."""

    LINE = "line"  # a whole line, literally
    FRAME = "frame"  # a label and any value after it
    PREFIX = "prefix"  # the head of the first body line
    SUFFIX = "suffix"  # the tail of the last body line
    OPENING = "opening"  # capitals glued before a sentence of a one-line text


@dataclass(frozen=True)
class Learned:
    """One piece of chrome: what it is, the text it is made of, and how often it was seen."""

    kind: Kind
    text: str
    documents: int
    of: int
    examples: tuple[str, ...]
    reads_like_prose: bool = False


@dataclass
class _Tally:
    documents: int = 0
    examples: list[str] = field(default_factory=list)
    where: list[int] = field(default_factory=lambda: [0, 0, 0])  # documents per HEAD, MIDDLE, TAIL
    values: set[str] = field(default_factory=set)  # a frame's distinct values (a few)
    after: dict[str, int] = field(default_factory=dict)  # an opening's next words, by documents (a few dozen)

    def add(self, id: str) -> None:
        self.documents += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(id)


@dataclass
class GroupCounts:
    """The candidates of one group's documents, counted."""

    group: str
    site: str | None = None
    documents: int = 0
    lines: dict[str, _Tally] = field(default_factory=dict)
    frames: dict[str, _Tally] = field(default_factory=dict)
    prefixes: dict[str, _Tally] = field(default_factory=dict)
    suffixes: dict[str, _Tally] = field(default_factory=dict)
    openings: dict[str, _Tally] = field(default_factory=dict)

    def add(self, offer: DocumentCandidates, most: int) -> None:
        """Count one document's candidates (`most`: distinct candidates kept per kind)."""
        self.documents += 1
        self.site = self.site or offer.site
        for text, where in offer.lines:
            tally = _tally(self.lines, text)
            tally.add(offer.id)
            tally.where[where] += 1
        for label, value in offer.frames:
            tally = _tally(self.frames, label)
            tally.add(offer.id)
            if len(tally.values) < _VALUES_KEPT:
                tally.values.add(value)
        for kind, texts in ((self.prefixes, offer.prefixes), (self.suffixes, offer.suffixes)):
            for text in texts:
                _tally(kind, text).add(offer.id)
        for opening, after in offer.openings:
            tally = _tally(self.openings, opening)
            tally.add(offer.id)
            if after in tally.after or len(tally.after) < _AFTER_KEPT:
                tally.after[after] = tally.after.get(after, 0) + 1
        for kind in (self.lines, self.frames, self.prefixes, self.suffixes, self.openings):
            if len(kind) > most:
                _forget_rare(kind)

    def chrome(self, structure: StructureConfig = DEFAULT_STRUCTURE) -> list[Learned]:
        """What these documents repeat enough to be chrome, under `structure`'s thresholds, in a stable order:
        lines, frames, prefixes, suffixes, each by documents seen in (most first), then by text."""
        least = max(structure.learn_documents, -(-self.documents * structure.learn_percent // 100))
        prose_least = max(least, -(-self.documents * structure.learn_prose_percent // 100))
        if self.documents < structure.learn_documents:
            return []
        found: list[Learned] = []
        for text, tally in _ranked(self.lines, least):
            prose = reads_like_prose(text)
            if prose:  # a sentence: the group's closing lines only, and seen in most documents
                closing = tally.where[TAIL] * 10 >= tally.documents * _CLOSING_TENTHS
                if not closing or tally.documents < prose_least:
                    continue
            elif tally.where[MIDDLE] * 2 > tally.documents and tally.documents < prose_least:
                continue  # between paragraphs mostly (a series' subheading?): needs the support prose needs
            found.append(self._learned(Kind.LINE, text, tally, prose))
        learned_lines = {item.text for item in found}
        for label, tally in _ranked(self.frames, least):
            if len(tally.values) < 2:
                continue  # one fixed line, learned whole if at all
            found.append(self._learned(Kind.FRAME, label, tally))
        found.extend(self._edges(Kind.PREFIX, self.prefixes, least, learned_lines))
        found.extend(self._edges(Kind.SUFFIX, self.suffixes, least, learned_lines))
        varied = {text: tally for text, tally in self.openings.items() if _varied(tally)}
        found.extend(self._edges(Kind.OPENING, varied, least, learned_lines))
        return found

    def _edges(self, kind: Kind, tallies: dict[str, _Tally], least: int, whole: set[str]) -> list[Learned]:
        """Prefixes (or suffixes) seen often enough: of nested ones seen as often, the longest; none that reads
        like prose (a series' standard opening words)."""
        chosen: list[Learned] = []
        ranked = sorted(_ranked(tallies, least), key=lambda item: (-item[1].documents, -len(item[0]), item[0]))
        for text, tally in ranked:
            if text in whole or reads_like_prose(text):
                continue
            if any(other.documents == tally.documents and (other.text.endswith(text) if kind == Kind.SUFFIX
                                                           else other.text.startswith(text)) for other in chosen):
                continue
            chosen.append(self._learned(kind, text, tally))
        return sorted(chosen, key=lambda item: (-item.documents, item.text))

    def _learned(self, kind: Kind, text: str, tally: _Tally, prose: bool = False) -> Learned:
        return Learned(kind, text, tally.documents, self.documents, tuple(tally.examples), prose)


def _varied(tally: _Tally) -> bool:
    """An opening is glued chrome when what follows it varies (every article's sentence starts otherwise): at
    least three different words, none after it in four of five of its documents (a name's first words are
    followed by its last: "BPBD DKI" by "Jakarta"; sentences often start with "The", never always)."""
    return len(tally.after) >= 3 and max(tally.after.values()) * 5 < tally.documents * 4


def _tally(tallies: dict[str, _Tally], key: str) -> _Tally:
    tally = tallies.get(key)
    if tally is None:
        tally = tallies[key] = _Tally()
    return tally


def _forget_rare(tallies: dict[str, _Tally]) -> None:
    """Forget the candidates seen in fewest documents (one, then two, ...) until half the room is free, so the
    next forgetting is far off (a scan per document would make counting quadratic)."""
    room = len(tallies) // 2
    floor = 1
    while len(tallies) > room:
        for key in [key for key, tally in tallies.items() if tally.documents <= floor]:
            del tallies[key]
        floor += 1


def _ranked(tallies: dict[str, _Tally], least: int) -> list[tuple[str, _Tally]]:
    return sorted(((text, tally) for text, tally in tallies.items() if tally.documents >= least),
                  key=lambda item: (-item[1].documents, item[0]))


def count_groups(offers: Iterable[DocumentCandidates], most: int = DEFAULT_STRUCTURE.learn_candidates
                 ) -> dict[str, GroupCounts]:
    """Every group's counts, from the documents' offers in input order."""
    groups: dict[str, GroupCounts] = {}
    for offer in offers:
        counts = groups.get(offer.group)
        if counts is None:
            counts = groups[offer.group] = GroupCounts(offer.group)
        counts.add(offer, most)
    return groups


__all__ = ["HEAD", "MIDDLE", "TAIL", "GroupCounts", "Kind", "Learned", "count_groups"]
