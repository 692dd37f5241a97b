"""The mutable working copy of one page's lines, and the per-line facts the steps read."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence

import regex

from cleaner.document import Capture, Line, Removal
from cleaner.ruleset.index import LineHits, RuleIndex, Scanner
from cleaner.stages.segment import join_units
from cleaner.text.prose import (
    fold_words,
    long_paragraph,
    reads_like_article_sentence,
    reads_like_prose,
    unit_prose,
    unspaced_prose,
)

#: A page as far as any step can change it: every removal changes the lines alive or their texts.
State = tuple[tuple[bool, ...], tuple[str, ...]]


class Page:
    """The mutable working copy of one page's lines; `strip_chrome` stays pure by building one per call."""

    def __init__(self, lines: Sequence[Line], scanner: Scanner | None = None) -> None:
        self.lines = lines
        self.scanner = scanner  # the plan's prefilter: lines are scanned once, again only when their text changes
        self.numbers = [line.number for line in lines]
        self.texts = [line.text for line in lines]
        # Units of a line the segment stage split, as runs of indices (see `settle_units`).
        self.split_lines: list[range] = []
        self.unit = [False] * len(lines)
        start = 0
        for i in range(1, len(lines) + 1):
            if i < len(lines) and lines[i].glue is not None:
                continue
            if i - start > 1:
                self.split_lines.append(range(start, i))
            start = i
        self._line_of = {j: units for units in self.split_lines for j in units}
        self.alive = [True] * len(lines)
        self._lit = [bool(text) for text in self.texts]  # alive and not blank: the lines rules read
        self._live: list[int] | None = None  # `live()` of the whole page, until a line leaves
        self.removed: list[Removal] = []
        self.captures: list[Capture] = []
        self.captured_at: dict[int, set[str]] = {}
        self.title: str | None = None
        self.title_index: int | None = None
        self._scraped: list[int] | None = None
        self.blocks_judged: State | None = None  # the page as the article-block step last left it
        self.body_end: tuple[int, str] | None = None  # the sign-off line and the rule that found it
        self.header_read = False  # the lines above the title have met the head rules (see `read_header`)
        self.header_dropped = False  # ... and left (see `drop_header`)
        self._settled: State | None = None  # the page as its units were last judged
        self._settled_lines: list[State | None] = [None] * len(self.split_lines)  # ... each split line's units
        # Line i's kind, as last judged: the text and unit flag it was judged on, whether it reads like a
        # sentence, like prose (see `_judge`); a text that changed is a new string, so identity says it is the same.
        self._judged_text: list[str | None] = [None] * len(lines)
        self._judged_unit = [False] * len(lines)
        self._sentence = [False] * len(lines)
        self._prose = [False] * len(lines)
        self._folded_of: list[str | None] = [None] * len(lines)  # the text `_folded` was made from
        self._folded = [""] * len(lines)
        self._words_of: list[str | None] = [None] * len(lines)  # the text `_words` was made from
        self._words = [""] * len(lines)
        self._joins: dict[tuple[str, str, str, str], bool] = {}  # join_units' checks, kept across rounds
        self._prose_texts: dict[str, bool] = {}  # `reads_like_prose` of the paragraphs units make, across rounds
        self._scanned_of: list[str | None] | None = None  # the text each line's `_hits` were found in
        self._hits: list[LineHits | None] = []

    def state(self) -> State:
        """The lines alive and their texts, as they stand."""
        return tuple(self.alive), tuple(self.texts)

    def scraped_numbers(self) -> list[int]:
        """The input line numbers of the page's lines as scraped (dropped ones too), sorted: where each line stood."""
        if self._scraped is None:
            self._scraped = sorted({number for number, line in zip(self.numbers, self.lines, strict=True)
                                    if line.text})
        return self._scraped

    def live(self, start: int = 0, stop: int | None = None) -> list[int]:
        """Indices of the lines still alive and not blank, from `start` to `stop` (a new list each call).

        The whole page's are kept until a line leaves: the steps ask for them far more often than lines leave."""
        if self._live is None:
            self._live = list(itertools.compress(range(len(self.texts)), self._lit))
        every = self._live
        if start == 0 and stop is None:
            return every.copy()
        first = bisect.bisect_left(every, start) if start else 0
        last = len(every) if stop is None else bisect.bisect_left(every, stop, first)
        return every[first:last]

    def settle_units(self, splits: RuleIndex) -> None:
        """Which units are part of a prose paragraph, judged on the paragraphs their kept units will make.

        A short sentence in such a paragraph is the paragraph's own ("Sekian."); judged on what is left, not on
        the line as scraped, the output cleaned again is judged the same way. The judgement depends on the
        lines alive and their texts alone: when neither changed since the last one, it stands.
        """
        if not self.split_lines:
            return
        state = self.state()
        if state == self._settled:
            return
        self._settled = state
        for k, units in enumerate(self.split_lines):
            # A line's judgement depends on its own units alone: one whose units stand as they were keeps it.
            start, stop = units.start, units.stop
            signature = (tuple(self.alive[start:stop]), tuple(self.texts[start:stop]))
            if signature == self._settled_lines[k]:
                continue
            self._settled_lines[k] = signature
            for members, text in self.kept_paragraphs(units, splits):
                own = len(members) > 1 and self._reads_like_prose(text)
                for j in members:
                    self.unit[j] = own
            for j in units:
                if not self.alive[j]:
                    self.unit[j] = False

    def kept_paragraphs(self, units: range, splits: RuleIndex) -> list[tuple[list[int], str]]:
        """The paragraphs the live ones of `units` (a split line) will print, as tidy joins them."""
        live = [j for j in units if self.alive[j]]
        rows = [(self.numbers[j], self.lines[j].part, self.lines[j].glue, self.texts[j],
                 self.texts[j] == self.lines[j].text, self.lines[j].cut) for j in live]
        return [([live[k] for k in members], text)
                for members, text in join_units(rows, self._reads_like_prose, splits, self._joins)]

    def _reads_like_prose(self, text: str) -> bool:
        """`reads_like_prose` of a paragraph that units make, judged once per page (the rounds ask again)."""
        found = self._prose_texts.get(text)
        if found is None:
            found = self._prose_texts[text] = reads_like_prose(text)
        return found

    def line_of(self, i: int) -> range:
        """The units of the input line that i belongs to (i alone for a line the segment stage left whole)."""
        return self._line_of.get(i) or range(i, i + 1)

    def line_text(self, i: int) -> str:
        """The input line that i belongs to, as its units now stand."""
        units = self._line_of.get(i)
        return self.texts[i] if units is None else self.whole_line(units)

    def line_starts(self) -> list[int]:
        """The live lines as input lines: of a split line, its first live unit stands for it."""
        live = self.live()
        return [i for before, i in zip([-1, *live], live, strict=False)
                if i not in self._line_of or self._line_of[i] is not self._line_of.get(before)]

    def lines_holding(self, starts: Sequence[int], words: Iterable[str]) -> list[int]:
        """Positions in `starts` (see `line_starts`) of the input lines that, case-folded, hold one of `words`.

        The lines are searched joined, in C, as most hold none: only a line found costs Python work.
        """
        joined = "\n".join(self.folded(i) if i not in self._line_of else self.line_text(i).casefold() for i in starts)
        found: set[int] = set()
        for word in words:
            if not word:
                return list(range(len(starts)))  # every line holds the empty word
            if "\n" in word:
                continue  # no line holds a line break (joined, the lines would)
            at, line, counted = joined.find(word), 0, 0
            while at != -1:
                line += joined.count("\n", counted, at)  # lines are counted from the last hit on: linear
                counted = at
                found.add(line)
                end_of_line = joined.find("\n", at)
                at = -1 if end_of_line == -1 else joined.find(word, end_of_line + 1)
        return sorted(found)

    def drop_line(self, i: int, rule: str) -> None:
        """Drop the input line that i belongs to: one removal for it, as the title finders read it."""
        units = self.line_of(i)
        if len(units) == 1:
            self.drop(i, rule)
            return
        live = [j for j in units if self.alive[j]]
        if live:
            self.drop_together(live, self.whole_line(units), rule)

    def drop_together(self, units: Sequence[int], text: str, rule: str) -> None:
        """Units that a rule read as one line (`text`) leave with one removal, at the first one's column."""
        self.removed.append(Removal(self.numbers[units[0]], text, rule, self.lines[units[0]].column))
        for j in units:
            self.vanish(j)

    def whole_line(self, units: range) -> str:
        """The line that `units` were cut from, its live units as their texts now stand, glued as in the input."""
        live = [j for j in units if self.alive[j]]
        return "".join(self.texts[j] if position == 0 else (self.lines[j].glue or "") + self.texts[j]
                       for position, j in enumerate(live))

    def drop(self, i: int, rule: str) -> None:
        if self.alive[i]:
            self.alive[i] = self._lit[i] = False
            self._live = None
            if self.texts[i]:
                self.removal(i, self.texts[i], rule)

    def removal(self, i: int, text: str, rule: str) -> None:
        """Report `text` of line i as removed, at its column in the input line."""
        line = self.lines[i]
        offset = line.text.find(text)
        self.removed.append(Removal(line.number, text, rule, line.column + max(offset, 0)))

    def vanish(self, i: int) -> None:
        """Line i lost its last words to cuts (reported with the cuts): it leaves without a removal of its own."""
        self.alive[i] = self._lit[i] = False
        self._live = None

    def capture(self, found: regex.Match[str] | bool | None, rule: str, i: int) -> None:
        if not isinstance(found, regex.Match):
            return
        for name, value in found.groupdict().items():
            if value and not name.startswith("_") and value.strip():
                self.captures.append(Capture(name, value.strip(), rule, self.numbers[i]))
                self.captured_at.setdefault(i, set()).add(name)

    def paragraph_of(self, i: int) -> range:
        start = i
        while start > 0 and self.texts[start - 1]:
            start -= 1
        stop = i
        while stop + 1 < len(self.texts) and self.texts[stop + 1]:
            stop += 1
        return range(start, stop + 1)

    def first_sentence(self) -> int | None:
        return next((i for i in self.live() if self.sentence(i)), None)

    def folded(self, i: int) -> str:
        """Line i case-folded (what the rules' literal prefilters read), computed once per text."""
        text = self.texts[i]
        if self._folded_of[i] is not text:
            self._folded[i], self._folded_of[i] = text.casefold(), text
        return self._folded[i]

    def candidates(self, index: RuleIndex, lines: Sequence[int]) -> list[frozenset[int]]:
        """For each of `lines`, the rules of `index` that may match it (literal prefilter and literal lines).

        With the plan's scanner, every line is scanned once for all the plan's indexes, and a line again only
        once its text has changed; without one (a page built alone), `index` scans the lines itself.
        """
        if not index.rules:
            return [index.unfiltered] * len(lines)
        if self.scanner is None:
            return index.candidates([self.folded(i) for i in lines], [self.texts[i] for i in lines])
        if self._scanned_of is None:  # the first call: every line folded and scanned at once
            self._folded, self._folded_of = [text.casefold() for text in self.texts], list(self.texts)
            self._hits = self.scanner.scan(self._folded, self.texts)
            self._scanned_of = list(self.texts)
        stale = [i for i in lines if self._scanned_of[i] is not self.texts[i]]
        if stale:
            rescanned = self.scanner.scan([self.folded(i) for i in stale], [self.texts[i] for i in stale])
            for i, found in zip(stale, rescanned, strict=True):
                self._hits[i], self._scanned_of[i] = found, self.texts[i]
        slot, hits, unfiltered = self.scanner.slot(index), self._hits, index.unfiltered
        if unfiltered:
            admitted = self.scanner.admitted
            return [admitted(hits[i], slot) for i in lines]
        # No rule runs on every line: a line's rules are its hits' for this index (`Scanner.admitted`, inlined)
        return [unfiltered if (found := hits[i]) is None else found.get(slot, unfiltered) for i in lines]

    def words(self, i: int) -> str:
        """`fold_words` of line i, computed once per text (how repeats are compared)."""
        text = self.texts[i]
        if self._words_of[i] is not text:
            self._words[i], self._words_of[i] = fold_words(text), text
        return self._words[i]

    def _judge(self, i: int) -> None:
        """Line i's kind, judged on its text and unit flag as they stand (`sentence` and `prose` call it only when
        either changed since the last judgement: they are asked hundreds of times a page)."""
        text, unit = self.texts[i], self.unit[i]
        sentence = reads_like_article_sentence(text) or (unit and unit_prose(text)) or unspaced_prose(text)
        self._sentence[i], self._prose[i] = sentence, sentence or long_paragraph(text)
        self._judged_text[i], self._judged_unit[i] = text, unit

    def sentence(self, i: int) -> bool:
        """`reads_like_sentence` of line i, computed once per text; a headline ending in "?" or "!" is not one."""
        if self._judged_text[i] is not self.texts[i] or self._judged_unit[i] != self.unit[i]:
            self._judge(i)
        return self._sentence[i]

    def prose(self, i: int) -> bool:
        """Line i reads like prose: a sentence, or long enough to be a paragraph without its full stop."""
        if self._judged_text[i] is not self.texts[i] or self._judged_unit[i] != self.unit[i]:
            self._judge(i)
        return self._prose[i]

    def prose_positions(self, live: Sequence[int]) -> list[int]:
        """Positions in `live` of the lines that read like prose."""
        return [position for position, i in enumerate(live) if self.prose(i)]

    def result(self) -> tuple[Line, ...]:
        return tuple(
            line if line.text == text else line._replace(text=text, edited=True)
            for line, text, alive in zip(self.lines, self.texts, self.alive, strict=True) if alive
        )
