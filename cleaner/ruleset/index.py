"""Rules of one kind indexed by the words their patterns need, and the one scan per page that reads them.

A `regex` call costs microseconds however simple the pattern, and an alternation of all rules loses each
pattern's literal scan, so neither calling every rule on every line nor one merged pattern is fast. Each rule's
required words (see `prefilter`) go into an Aho-Corasick automaton instead: one pass over the case-folded lines
tells which rules may match which line, and only those patterns run, in rule order.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from cleaner.ruleset.model import Action, Matcher, Rule
from cleaner.ruleset.prefilter import word_automaton


@dataclass(frozen=True)
class RuleIndex:
    """Rules of one kind with a literal prefilter, so a line costs pattern calls only for rules it may match.

    Rules whose patterns name no word run on every line.
    """

    rules: tuple[Rule, ...]
    exact: dict[str, int]  # whole-line literals (drop a line equal to the text)
    folded: dict[str, int]  # ... compared case-folded
    words: Any  # ahocorasick.Automaton: required word -> rule positions; None when no rule names a word
    letters: tuple[tuple[str, frozenset[int]], ...]  # one-character requirements, found with str.find
    unfiltered: frozenset[int]  # rules tried on every line
    span_literals: tuple[tuple[int, Matcher], ...]  # drop_span rules' literal substrings

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> RuleIndex:
        exact: dict[str, int] = {}
        folded: dict[str, int] = {}
        by_word: dict[str, set[int]] = {}
        unfiltered: set[int] = set()
        span_literals = []
        for position, rule in enumerate(rules):
            matcher = rule.matcher
            if matcher is None:
                continue
            if rule.action == Action.DROP_SPAN:  # literals are substrings to cut, found by their own search
                if matcher.literals:
                    span_literals.append((position, Matcher(matcher.literals, (), matcher.ignore_case,
                                                            matcher.timeout, rule.id, matcher.vetted)))
            else:
                for literal in matcher.literals:
                    (folded if matcher.ignore_case else exact).setdefault(literal, position)
            for needs in matcher.needs:
                if needs is None:
                    unfiltered.add(position)
                    continue
                for word in needs:
                    by_word.setdefault(word, set()).add(position)
        words = word_automaton({w: frozenset(p) for w, p in by_word.items() if len(w) > 1})
        letters = tuple(sorted((w, frozenset(p)) for w, p in by_word.items() if len(w) == 1))
        return cls(tuple(rules), exact, folded, words, letters, frozenset(unfiltered), tuple(span_literals))

    def candidates(self, folded: Sequence[str], texts: Sequence[str] | None = None) -> list[frozenset[int]]:
        """For each case-folded line, the positions of the rules whose patterns may match it.

        With the lines as written (`texts`), rules whose literal lines equal a line count too.
        """
        if not folded:
            return []
        if self.words is None and not self.letters and not self.exact and not self.folded:
            return [self.unfiltered] * len(folded)  # nothing to look for: every line gets the same rules
        hits: dict[int, set[int]] = {}
        for line, values in _found_in_lines(folded, self.words, self.letters).items():
            hits[line] = set().union(*values)
        if texts is not None:
            for literals, rows in ((self.exact, texts), (self.folded, folded)):
                for line, position in _literal_lines(literals, rows):
                    hits.setdefault(line, set()).add(position)
        result = [self.unfiltered] * len(folded)
        for line, positions in hits.items():
            result[line] = frozenset(positions | self.unfiltered)
        return result

    def first(
        self, text: str, line: int | None = None, positions: Iterable[int] | None = None, folded: str | None = None,
    ) -> tuple[Rule, regex.Match[str] | bool] | None:
        """The first rule (in rule order) that matches the whole line, with its match.

        `positions` are the rules the prefilter let through (None: find them for this line); `folded` is the
        line case-folded, when the caller has it.
        """
        best = self.exact.get(text)
        if best is None and self.folded:
            best = self.folded.get(text.casefold() if folded is None else folded)
        if positions is None:
            positions = self.candidates([text.casefold() if folded is None else folded])[0]
        if not positions:
            return (self.rules[best], True) if best is not None else None
        for position in sorted(positions):
            if best is not None and position >= best:
                break
            rule = self.rules[position]
            assert rule.matcher is not None
            found = rule.matcher.first_fullmatch(text, line)
            if found:
                return rule, found
        return (self.rules[best], True) if best is not None else None

    def spans(
        self, text: str, line: int | None = None, positions: Iterable[int] | None = None
    ) -> list[tuple[int, int, Rule, regex.Match[str] | None]]:
        """Every non-overlapping match inside the line, leftmost first, with the rule that made it."""
        if positions is None:
            positions = self.candidates([text.casefold()])[0]
        hits: list[tuple[int, int, Rule, regex.Match[str] | None]] = []
        for position in sorted(positions):
            rule = self.rules[position]
            assert rule.matcher is not None
            for pattern in rule.matcher.patterns:
                for found in rule.matcher.call(pattern, "finditer", text, line):
                    if found.end() > found.start():
                        hits.append((found.start(), found.end(), rule, found))
        for position, literals in self.span_literals:
            hits.extend((start, end, self.rules[position], found) for start, end, found in literals.spans(text, line))
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        kept: list[tuple[int, int, Rule, regex.Match[str] | None]] = []
        for hit in hits:
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        return kept


def _found_in_lines(folded: Sequence[str], words: Any, letters: Sequence[tuple[str, Any]]) -> dict[int, list[Any]]:
    """For each case-folded line holding a word of the automaton `words` or one of the one-character
    `letters`, the values of what it holds (a value once per run of hits: the same word twice in a row once).

    Filled in place, not yielded: a page has hundreds of hits, and each costs a few bytecodes this way."""
    found: dict[int, list[Any]] = {}
    text = "\n".join(folded)
    # where each line starts in `text`: the lengths before it and one line break per line (summed in C)
    starts = list(map(operator.add, itertools.accumulate(map(len, folded), initial=0), range(len(folded))))
    last = len(folded) - 1
    bisect_right = bisect.bisect_right
    if words is not None:
        bound = -1  # the words found end in order: a line's hits come together
        values: list[Any] = []
        for end, value in words.iter(text):
            if end >= bound:
                line = bisect_right(starts, end) - 1
                bound = starts[line + 1] if line < last else len(text) + 1
                values = found.setdefault(line, [])
            elif values[-1] is value:
                continue
            values.append(value)
    for letter, value in letters:
        at = text.find(letter)
        while at != -1:
            line = bisect_right(starts, at) - 1
            found.setdefault(line, []).append(value)
            at = text.find(letter, starts[line + 1]) if line < last else -1
    return found


def _literal_lines(literals: Mapping[str, Any], rows: Sequence[str]) -> Iterator[tuple[int, Any]]:
    """(line, value) for each of the rows that is one of the literal lines; most pages hold none, which one set
    intersection tells."""
    if literals and not literals.keys().isdisjoint(rows):
        for line, row in enumerate(rows):
            if row in literals:
                yield line, literals[row]


#: A line's prefilter hits: for each index slot whose words or letters the line holds, the rules they name.
LineHits = dict[int, frozenset[int]]


@dataclass(frozen=True)
class Scanner:
    """One prefilter pass for several indexes (a plan's): which rules of each may match each line.

    The words and letters of every index go into one automaton and one letter table, so a page's lines are
    scanned once for all of them; `admitted` then reads one index's rules from a line's hits, the answer
    `RuleIndex.candidates` gives for that index (literal lines included).
    """

    indexes: tuple[RuleIndex, ...]
    words: Any  # ahocorasick.Automaton: word -> ((slot, rule positions), ...); None when no index names a word
    letters: tuple[tuple[str, tuple[tuple[int, frozenset[int]], ...]], ...]
    exact: dict[str, tuple[tuple[int, frozenset[int]], ...]]  # a literal line -> (slot, {rule position}) each
    folded: dict[str, tuple[tuple[int, frozenset[int]], ...]]  # ... compared case-folded

    @classmethod
    def build(cls, indexes: Sequence[RuleIndex]) -> Scanner:
        by_word: dict[str, list[tuple[int, frozenset[int]]]] = {}
        by_letter: dict[str, list[tuple[int, frozenset[int]]]] = {}
        exact: dict[str, list[tuple[int, frozenset[int]]]] = {}
        folded: dict[str, list[tuple[int, frozenset[int]]]] = {}
        for slot, index in enumerate(indexes):
            if index.words is not None:
                for word, positions in index.words.items():
                    by_word.setdefault(word, []).append((slot, positions))
            for letter, positions in index.letters:
                by_letter.setdefault(letter, []).append((slot, positions))
            for literal, position in index.exact.items():
                exact.setdefault(literal, []).append((slot, frozenset((position,))))
            for literal, position in index.folded.items():
                folded.setdefault(literal, []).append((slot, frozenset((position,))))
        words = word_automaton({word: tuple(entries) for word, entries in by_word.items()})
        return cls(tuple(indexes), words, tuple(sorted((k, tuple(v)) for k, v in by_letter.items())),
                   {k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in folded.items()})

    def slot(self, index: RuleIndex) -> int:
        """The slot of one of the scanner's indexes."""
        for slot, known in enumerate(self.indexes):
            if known is index:
                return slot
        raise KeyError("this index is not one the scanner was built from")

    def scan(self, folded: Sequence[str], texts: Sequence[str]) -> list[LineHits | None]:
        """For each line (case-folded, and as written), its hits; None for a line no index's words touch.

        A line's hits are merged per index here, once, as each line is asked about by several indexes.
        """
        if not folded:
            return []
        found = _found_in_lines(folded, self.words, self.letters)
        for line, entries in itertools.chain(_literal_lines(self.exact, texts), _literal_lines(self.folded, folded)):
            found.setdefault(line, []).append(entries)
        hits: list[LineHits | None] = [None] * len(folded)
        for line, groups in found.items():
            merged: LineHits = {}
            for entries in groups:
                for slot, positions in entries:
                    known_positions = merged.get(slot)
                    merged[slot] = positions if known_positions is None else known_positions | positions
            hits[line] = merged
        return hits

    def admitted(self, hits: LineHits | None, slot: int) -> frozenset[int]:
        """The rules of the index in `slot` that a line with these hits may match."""
        unfiltered = self.indexes[slot].unfiltered
        found = None if hits is None else hits.get(slot)
        if found is None:
            return unfiltered
        return found | unfiltered if unfiltered else found
