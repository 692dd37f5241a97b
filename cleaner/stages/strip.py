"""Stage 6: strip chrome with the page's site rule (first) and the generic rules.

The order matters and is fixed:
 1. footer markers (`drop_after`) cut the tail of the page; the sign-off (`end_body`) is found;
 2. the title is found (given by the input, repeated from the page's <title> line,
    or by the site's `title` spec); lines above it are the page header: `head`-scope
    rules read them (a breadcrumb category), then they are dropped;
 3. `drop_block` (multi-line structures, before their lines are taken one by one);
 4. line rules run on every line: `drop_line`, `capture`, `drop_paragraph`, `drop_span` (a line the segment
    stage split at sentence ends only is first read whole); then `drop_repeated`;
 5. without a title yet, the line right above the first byline or date line (above the first
    paragraph) is the title, when it looks like one; the header above it then goes as in 2;
 6. `drop_before` markers (a site's summary between title and body);
 7. `lead` rules on the first lines (datelines; a caption printed above the dateline goes with it),
    `last` rules on the last lines (credits);
 8. structure: every line after a sign-off (`end_body`, found in step 1), non-prose lines before the
    first and after the last prose line, and runs of headline-shaped lines inside the body (link lists)
    leave; other prose lines never do (a unit of a prose paragraph is prose however short, see
    `_Page.settle_units`);
 9. `drop_repeated` once more, as cuts can leave two equal lines; steps 7-9 repeat until nothing
    changes, so cleaning the output again finds nothing more to do.

Lines here are the segment stage's units: a line of the page, or a piece of one it cut. Precision beats
greed: structural steps (header above the title, neighbours of a match) never drop a line that reads like a
sentence; only an explicit rule does.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from cleaner.document import Capture, Document, Line, Removal
from cleaner.ruleset.model import EDGE_LINES, Action, Matcher, Rule, RuleIndex, RuleSet, Scope
from cleaner.stages.metadata import NAMES_ABOVE_BODY, reads_like_names
from cleaner.stages.normalise import drop_doubled_stop
from cleaner.stages.segment import MINOR_WORDS, join_units

#: A sentence end, possibly followed by a short credit in brackets: "... hari ini. (abc)", "... kata dia. [did]".
_SENTENCE_END = regex.compile(r"[.!?\u2026][\"'\u201d\u2019)]*(?:\s*(?:\([^()]{1,30}\)|\[[^\[\]]{1,30}\]))?$")
_WORD = regex.compile(r"\w+")
#: How far from the end of a line a sentence end (with quotes and a bracketed credit) can start.
_END_REACH = 100
#: The characters `_SENTENCE_END` can end on: any other last character settles it without the pattern.
_SENTENCE_LAST = frozenset(".!?\u2026\"'\u201d\u2019)]")
TITLE_SEPARATORS = (" - ", " | ", " \u2013 ", " \u2014 ", " :: ")
_LINE_RULES = (Action.DROP_LINE, Action.CAPTURE, Action.DROP_PARAGRAPH)
#: Fields whose capture right below a line marks that line as the headline.
_BYLINE_FIELDS = frozenset({"published", "authors", "editors"})


@functools.lru_cache(maxsize=64)
def _words_pattern(count: int) -> regex.Pattern[str]:
    return regex.compile(rf"\W*+(?:\w++\W*+){{{count}}}")


def has_words(text: str, count: int) -> bool:
    """At least `count` words (runs of word characters), reading no further than the count-th word."""
    return _words_pattern(count).match(text) is not None


def ends_like_sentence(text: str) -> bool:
    """Ends with a sentence end, possibly followed by a short credit; only the line's tail is searched."""
    if not text or text[-1] not in _SENTENCE_LAST:
        return False
    return _SENTENCE_END.search(text, max(0, len(text) - _END_REACH)) is not None


#: Eight words and the seven gaps between them: a shorter line is no sentence (most menu items end here).
_SENTENCE_CHARS = 15


def reads_like_sentence(text: str) -> bool:
    """A line of the article: at least 8 words and ending like a sentence."""
    return len(text) >= _SENTENCE_CHARS and ends_like_sentence(text) and has_words(text, 8)


#: A line this long is a paragraph even without a full stop.
PROSE_WORDS = 20


def title_like(text: str) -> bool:
    """A possible headline: 2 to 30 words, not ending like a clause or a sentence with a full stop."""
    return has_words(text, 2) and len(text) <= 250 and text[-1] not in ".,;:" and not has_words(text, 31)


_LETTER_WORDS = regex.compile(r"(?<![\p{L}\d])\p{L}{2,}(?![\p{L}\d])")
_INNER_SENTENCE = regex.compile(r"[.!?]\s+\p{Lu}")
_INNER_FULL_STOP = regex.compile(r"\.\s+\p{Lu}")
_PUNCTUATION = regex.compile(r"[.,;:!?\"\u201c\u201d]")
_HAS_WORD = regex.compile(r"\w")
_CASED_WORD = regex.compile(r"[\p{L}\d][\p{L}\d\x27\u2019-]*")


def _capitalised(words: Sequence[str]) -> bool:
    major = [w for w in words if w.casefold() not in MINOR_WORDS]
    capitalised = sum(1 for w in major if w[0].isupper() or w[0].isdigit())
    return bool(major) and capitalised >= 0.8 * len(major)


def headline_case(text: str) -> bool:
    """Set like a headline: 3 to 25 words, nearly all capitalised, one sentence at most."""
    words = _CASED_WORD.findall(text)
    if not 3 <= len(words) <= 25 or _INNER_SENTENCE.search(text):
        return False
    return _capitalised(words)


def menu_like(text: str) -> bool:
    """A run of capitalised words with no punctuation at all: a menu flattened onto one line."""
    return not _PUNCTUATION.search(text) and _capitalised(_CASED_WORD.findall(text))


def reads_like_article_sentence(text: str) -> bool:
    """A sentence of the article: `reads_like_sentence`, unless it is a headline ending in "?" or "!"."""
    return reads_like_sentence(text) and not (text[-1] != "." and headline_case(text))


def _long_paragraph(text: str) -> bool:
    """Long enough to be a paragraph without its full stop, and not a menu flattened onto one line."""
    return len(text) >= 2 * PROSE_WORDS - 1 and has_words(text, PROSE_WORDS) and not menu_like(text)


def unit_prose(text: str) -> bool:
    """A unit of a prose paragraph (see `_Page.settle_units`) is the paragraph's own unless it is set like a
    headline, a menu or a label: a short sentence ("Sekian."), or the words after the last full stop."""
    if headline_case(text) or text[0] in "([":
        return False
    if ends_like_sentence(text):
        return True
    return has_words(text, 5) and text[-1] != ":" and not menu_like(text)


def reads_like_prose(text: str) -> bool:
    """A line structure never drops: an article sentence, or a line long enough to be a paragraph."""
    return reads_like_article_sentence(text) or _long_paragraph(text)


#: Characters of scripts written without spaces between words; a run of them reads as prose at this length
#: (about a sentence), since `has_words` counts a whole unspaced sentence as one or two words.
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]")
UNSPACED_PROSE_CHARS = 40


def reads_like_body(text: str) -> bool:
    """A paragraph an article body is made of (`reads_like_prose`, or a sentence in a script without spaces):
    a body with none of these is a page's menu or labels, not an article."""
    if reads_like_prose(text):
        return True
    return len(text) >= UNSPACED_PROSE_CHARS and len(_UNSPACED.findall(text)) >= UNSPACED_PROSE_CHARS


def reads_like_label(text: str) -> bool:
    """A menu item, a headline or a counter ("telah dilihat 3584 kali"): set like a headline or a flattened
    menu, or under five words with no sentence end. A list item of the article ("10 de março – Interlagos")
    or a short sentence is not one."""
    return headline_case(text) or menu_like(text) or not (has_words(text, 5) or ends_like_sentence(text))


def fold_words(text: str) -> str:
    """A line's words in lower case, without punctuation: how headline copies are compared."""
    return " ".join(_WORD.findall(text.casefold()))


class _Page:
    """The mutable working copy of one page's lines; `strip_chrome` stays pure by building one per call."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
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
        self.removed: list[Removal] = []
        self.captures: list[Capture] = []
        self.captured_at: dict[int, set[str]] = {}
        self.title: str | None = None
        self.title_index: int | None = None
        self.body_end: tuple[int, str] | None = None  # the sign-off line and the rule that found it
        self._kinds: dict[int, tuple[str, bool, bool, bool]] = {}
        self._folded: dict[int, tuple[str, str]] = {}
        self._words: dict[int, tuple[str, str]] = {}
        self._joins: dict[tuple[str, str, str, str], bool] = {}  # join_units' checks, kept across rounds

    def live(self, start: int = 0, stop: int | None = None) -> list[int]:
        """Indices of the lines still alive and not blank, from `start` to `stop`."""
        stop = len(self.texts) if stop is None else stop
        return list(itertools.compress(range(start, stop), self._lit[start:stop]))

    def settle_units(self, splits: RuleIndex) -> None:
        """Which units are part of a prose paragraph, judged on the paragraphs their kept units will make.

        A short sentence in such a paragraph is the paragraph's own ("Sekian."); judged on what is left, not on
        the line as scraped, the output cleaned again is judged the same way.
        """
        for units in self.split_lines:
            for members, text in self.kept_paragraphs(units, splits):
                own = len(members) > 1 and reads_like_prose(text)
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
                for members, text in join_units(rows, reads_like_prose, splits, self._joins)]

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
        cached = self._folded.get(i)
        if cached is None or cached[0] != text:
            cached = (text, text.casefold())
            self._folded[i] = cached
        return cached[1]

    def words(self, i: int) -> str:
        """`fold_words` of line i, computed once per text (how repeats are compared)."""
        text = self.texts[i]
        cached = self._words.get(i)
        if cached is None or cached[0] != text:
            cached = (text, fold_words(text))
            self._words[i] = cached
        return cached[1]

    def _kind(self, i: int) -> tuple[str, bool, bool, bool]:
        text, unit = self.texts[i], self.unit[i]
        cached = self._kinds.get(i)
        if cached is None or cached[0] != text or cached[3] != unit:
            sentence = reads_like_article_sentence(text) or (unit and unit_prose(text))
            cached = (text, sentence, sentence or _long_paragraph(text), unit)
            self._kinds[i] = cached
        return cached

    def sentence(self, i: int) -> bool:
        """`reads_like_sentence` of line i, computed once per text; a headline ending in "?" or "!" is not one."""
        return self._kind(i)[1]

    def prose(self, i: int) -> bool:
        """Line i reads like prose: a sentence, or long enough to be a paragraph without its full stop."""
        return self._kind(i)[2]

    def prose_positions(self, live: Sequence[int]) -> list[int]:
        """Positions in `live` of the lines that read like prose."""
        return [position for position, i in enumerate(live) if self.prose(i)]

    def result(self) -> tuple[Line, ...]:
        return tuple(
            line if line.text == text else dataclasses.replace(line, text=text, edited=True)
            for line, text, alive in zip(self.lines, self.texts, self.alive, strict=True) if alive
        )


def _rules(rulesets: Iterable[RuleSet], *actions: Action, scope: Scope | None = None) -> list[Rule]:
    return [
        rule
        for ruleset in rulesets
        for rule in ruleset.rules
        if rule.action in actions and (scope is None or rule.scope == scope)
    ]


@dataclass(frozen=True)
class StripPlan:
    """The rules for pages of one site (or none), merged once into per-scope indexes."""

    rulesets: tuple[RuleSet, ...]
    lines: dict[Scope, RuleIndex]  # whole-line rules that drop the line (drop_line, capture, drop_paragraph)
    kept: dict[Scope, RuleIndex]  # capture rules with keep: true
    spans: dict[Scope, RuleIndex]
    footers: RuleIndex  # drop_after markers
    ends: RuleIndex  # end_body sign-offs
    pairs: RuleIndex  # capture rules with `end` (label line, value line): indexed by the label's pattern
    splits: RuleIndex  # split rules: unit boundaries for the segment stage
    by_action: dict[tuple[Action, Scope | None], tuple[Rule, ...]]  # see `rules`

    def rules(self, action: Action, scope: Scope | None = None) -> tuple[Rule, ...]:
        """The plan's rules of one action (and scope), in rule order: looked up, not filtered per page."""
        return self.by_action.get((action, scope), ())

    @classmethod
    def build(cls, site: RuleSet | None, generic: Sequence[RuleSet], timeout: float) -> StripPlan:
        rulesets = ((site,) if site else ()) + tuple(generic)

        lines, kept, spans = {}, {}, {}
        for scope in Scope:
            full = [r for r in _rules(rulesets, *_LINE_RULES, scope=scope) if r.end is None]  # pairs: own step
            lines[scope] = RuleIndex.build([r for r in full if not r.keep], timeout)
            kept[scope] = RuleIndex.build([r for r in full if r.keep], timeout)
            spans[scope] = RuleIndex.build(_rules(rulesets, Action.DROP_SPAN, scope=scope), timeout)
        footers = RuleIndex.build(_rules(rulesets, Action.DROP_AFTER), timeout)
        ends = RuleIndex.build(_rules(rulesets, Action.END_BODY), timeout)
        pairs = RuleIndex.build([r for r in _rules(rulesets, Action.CAPTURE) if r.end is not None], timeout)
        splits = RuleIndex.build(_rules(rulesets, Action.SPLIT), timeout)
        by_action: dict[tuple[Action, Scope | None], tuple[Rule, ...]] = {}
        for action in Action:
            by_action[(action, None)] = tuple(_rules(rulesets, action))
            for scope in Scope:
                by_action[(action, scope)] = tuple(_rules(rulesets, action, scope=scope))
        return cls(rulesets, lines, kept, spans, footers, ends, pairs, splits, by_action)


def _candidates(page: _Page, index: RuleIndex, lines: Sequence[int]) -> list[frozenset[int]]:
    """For each of `lines`, the rules of `index` that may match it (literal prefilter and literal lines)."""
    return index.candidates([page.folded(i) for i in lines], [page.texts[i] for i in lines])


# -- 1. footers -------------------------------------------------------------------------------------------------


def _drop_footers(page: _Page, plan: StripPlan) -> None:
    """Cut the page at the first footer marker below the first sentence.

    Bylines printed in the footer ("Author" / name / "Editor" / name) are read before the cut.
    """
    body_start = page.first_sentence()  # footers only drop lines below it, so it stays put
    if body_start is None or not plan.footers.rules:
        return
    lines = page.live(body_start + 1)
    held = [(i, rules) for i, rules in zip(lines, _candidates(page, plan.footers, lines), strict=True) if rules]
    for position, rule in enumerate(plan.footers.rules):
        assert rule.matcher is not None
        for i, rules in held:
            if position in rules and page.alive[i] and rule.matcher.fullmatch(page.texts[i], page.numbers[i],
                                                                              page.folded(i)):
                _capture_pairs(page, plan, i)
                _apply_line_rules(page, page.live(i + 1), plan, Scope.ANY)
                for j in range(i, len(page.texts)):
                    page.drop(j, rule.id)
                break


def _find_body_end(page: _Page, plan: StripPlan) -> None:
    """The first sign-off (`end_body`) below the first sentence under the title; the structure step drops what follows.

    Found once the title and the rules have settled, so a sidebar sentence above the headline cannot start the
    article early, and only where at least as much prose precedes it as follows it (losing the article is
    worse than keeping a sidebar); byline rules have already read an author or editor line below it.
    """
    start = 0 if page.title_index is None else page.title_index + 1
    body_start = next((i for i in page.live(start) if page.sentence(i)), None)
    if not plan.ends.rules or body_start is None:
        return
    lines = [i for i in range(body_start, len(page.texts)) if page.texts[i]]  # the marker may have gone already
    allowed = _candidates(page, plan.ends, lines)
    if not any(allowed):
        return
    total = sum(len(page.texts[i]) for i in page.live(body_start) if page.prose(i))
    before = 0
    for i, rules in zip(lines, allowed, strict=True):
        if page.alive[i] and page.prose(i):
            before += len(page.texts[i])
        # More prose after the marker than before it: the marker closes a sidebar item, not the article.
        if not rules or before < total - before:
            continue
        for position in sorted(rules):
            rule = plan.ends.rules[position]
            assert rule.matcher is not None
            if rule.matcher.fullmatch(page.texts[i], page.numbers[i], page.folded(i)):
                page.body_end = (i, rule.id)
                return


# -- 2. title and header ----------------------------------------------------------------------------------------


def _nearest_above_prose(page: _Page, live: Sequence[int], positions: Sequence[int]) -> int:
    """Of several copies of the headline (sidebars, "most read"), the one closest above a paragraph."""
    if len(positions) == 1:
        return positions[0]
    prose = page.prose_positions(live)  # ascending: the first after a position is a bisection away

    def gap_to_prose(position: int) -> int:
        found = bisect.bisect_right(prose, position)
        after = prose[found] if found < len(prose) else len(live) + position
        return after - position

    return min(positions, key=gap_to_prose)


def _title_from_given(page: _Page, title: str) -> int | None:
    """The line that prints the known headline; `Headline - Outlet` lines above it are page titles."""
    wanted = fold_words(title)
    if not wanted:
        return None
    live = page.line_starts()
    most = wanted.count(" ") + 2  # a line with more words than the title is not a copy (read no further)
    first_word, _, _ = wanted.partition(" ")
    # Only lines holding the title's first word are compared word by word (a substring test in C first).
    holders = [position for position, i in enumerate(live) if first_word in page.line_text(i).casefold()]
    copies = [position for position in holders if not has_words(page.line_text(live[position]), most)
              and fold_words(page.line_text(live[position])) == wanted]
    found = live[_nearest_above_prose(page, live, copies)] if copies else None
    for position in holders:
        i = live[position]
        if found is not None and i >= found:
            break
        text = page.line_text(i)
        if (any(sep in text for sep in TITLE_SEPARATORS) and title_like(text) and not reads_like_prose(text)
                and fold_words(text).startswith(wanted + " ")):
            page.drop_line(i, "structure/page-title")
    return found


def _title_from_page_title(page: _Page) -> int | None:
    """A page saved with its <title> first ("Headline - Outlet", or the bare headline) prints the headline again.

    Lines are compared by their words only, as the <title> often drops the headline's colon or quotes.
    Of several copies (sidebars, "most read" lists), the headline is the one closest above a paragraph.
    Lines are the input's: a headline the segment stage cut at its "?" is read whole.
    """
    live = page.line_starts()
    if not live:
        return None
    first = page.line_text(live[0])
    heads = [first[: first.rfind(sep)] for sep in TITLE_SEPARATORS if sep in first]
    if title_like(first) and not reads_like_prose(first):
        heads.append(first)
    heads = [fold_words(h) for h in heads if has_words(h, 3) and len(_LETTER_WORDS.findall(h)) >= 2]  # words
    if not heads:
        return None
    most = max(h.count(" ") for h in heads) + 2
    repeats = [position for position, i in enumerate(live)
               if position and not has_words(page.line_text(i), most) and fold_words(page.line_text(i)) in heads]
    if not repeats:
        return None
    best = _nearest_above_prose(page, live, repeats)
    if not any(page.prose(j) for j in page.live(page.line_of(live[best])[-1] + 1)):
        return None  # a headline heads an article
    page.drop_line(live[0], "structure/page-title")
    return live[best]


def _title_from_spec(page: _Page, site: RuleSet) -> int | None:
    spec = site.title
    if spec is None:
        return None
    live = page.live()
    if spec.first_line:
        return live[0] if live else None
    anchor: Matcher | None = spec.before or spec.after or spec.pattern
    assert anchor is not None
    for position, i in enumerate(live):
        found = anchor.fullmatch(page.texts[i], page.numbers[i], page.folded(i))
        if not found:
            continue
        if spec.pattern is not None:
            if isinstance(found, regex.Match) and found.groupdict().get("title"):
                page.title = found.group("title").strip()
            return i
        step = -1 if spec.before is not None else 1
        if not 0 <= position + step < len(live):
            return None
        other = live[position + step]
        # The headline is the line above (or below) the anchor's line, not a piece of the same line.
        return other if page.line_of(other) != page.line_of(i) else None
    return None


def _accept_title(page: _Page, i: int, rule: str) -> None:
    page.title = page.title or page.line_text(i)
    page.title_index = page.line_of(i)[-1]
    page.drop_line(i, rule)


def _find_title(page: _Page, doc: Document, site: RuleSet | None, plan: StripPlan) -> None:
    if doc.given_title:
        i = _title_from_given(page, doc.given_title)
        page.title = " ".join(doc.given_title.split())
        if i is not None:
            page.title_index = page.line_of(i)[-1]
            page.drop_line(i, "structure/title")
        return
    i = _title_from_page_title(page)
    rule = "structure/title"
    if i is None and site is not None:
        i = _title_from_spec(page, site)
        rule = f"{site.id}/title"
        # A headline heads an article and is made of words: a line with no prose below it is body, whatever its
        # shape (the output of a one-line article, cleaned again, has no headline either), and so is a line of
        # figures and punctuation or one holding a full stop before a capital (two sentences).
        text = page.line_text(i) if i is not None else ""
        if i is not None and (not title_like(text) or len(_LETTER_WORDS.findall(text)) < 2
                              or _INNER_FULL_STOP.search(text) or _opens_body(text, plan)
                              or not any(page.prose(j) for j in page.live(page.line_of(i)[-1] + 1))):
            page.title = None
            return
    if i is not None:
        _accept_title(page, i, rule)


def _opens_body(text: str, plan: StripPlan) -> bool:
    """A line a dateline prefix or a `drop_before` marker matches starts the body: it is never the title."""
    return any(r.matcher and r.matcher.match_start(text) for r in plan.rules(Action.CUT_PREFIX)) or any(
        r.matcher and r.matcher.fullmatch(text) for r in plan.rules(Action.DROP_BEFORE)
    )


#: How many lines above the headline a breadcrumb may sit (a date or a second crumb can come between).
BREADCRUMB_LINES = 2


def _drop_header(page: _Page, plan: StripPlan) -> None:
    """Lines above the title: `head` rules read them, then all but prose lines go."""
    if page.title_index is None:
        return
    head = page.live(0, page.title_index)
    before = len(page.captures)
    _apply_line_rules(page, head, plan, Scope.HEAD)
    # A generic section name counts as the category only right above the headline (a breadcrumb);
    # further up it is a menu item. Site rules know their own layout and keep theirs.
    near = {page.numbers[i] for i in head[-BREADCRUMB_LINES:]}
    site_ids = {plan.rulesets[0].id} if plan.rulesets and plan.rulesets[0].kind == "site" else set()
    page.captures[before:] = [
        c for c in page.captures[before:]
        if c.field != "category" or c.line in near or c.rule.split("/")[0] in site_ids
    ]
    for i in page.live(0, page.title_index):
        if not page.prose(i):
            page.drop(i, "structure/above-title")


# -- 3. line rules ----------------------------------------------------------------------------------------------


_LIST_ITEM = regex.compile(r"[-\u2013\u2022*\u00b7\u25aa\u25cf\u2023]\s|\(?\d{1,2}[.)]\s|\p{Ll}[.)]\s")
_FIGURES = regex.compile(r"\d\s?%|\d\s?(?i:persen|percent)\b")


def headline_shaped(text: str) -> bool:
    """Another article's headline: no sentence end (but a title-case "?"/"!" one), not an item of a list.

    What a related-links heading takes with it; a sentence of the article, a list item (`- Partai A 41,2%`,
    `1. Menerima ...`) or a line of percentages is never one.
    """
    if _LIST_ITEM.match(text) or _FIGURES.search(text) or text[-1] in ":;,":
        return False  # a list item, figures, or a clause that goes on ("... meliputi:")
    capitalised = _capitalised(_CASED_WORD.findall(text))  # headlines glued into one run can be long
    if ends_like_sentence(text):
        return text.rstrip("\"'\u201d\u2019")[-1:] in ("?", "!") and not _INNER_FULL_STOP.search(text) \
            and capitalised
    return capitalised or not has_words(text, 8)  # a long line in sentence case is the article's


def _drop_neighbours(page: _Page, first: int, last: int, rule: Rule, floor: int = -1) -> None:
    """The headline-shaped lines a rule takes with it: up to `with_previous` above `first`, `with_next` below `last`.

    The look upwards stops at `floor`, the end of the block the rule dropped before: that block took its own
    neighbours, and walking back over every block dropped so far would make a page of repeats quadratic.
    """
    for count, step, j in ((rule.with_previous, -1, first), (rule.with_next, 1, last)):
        while count > 0:
            j += step
            if j <= floor or j >= len(page.texts):
                break
            if not page.alive[j] or not page.texts[j]:
                continue
            if not headline_shaped(page.texts[j]):
                break
            page.drop(j, rule.id)
            count -= 1


def _take(page: _Page, rule: Rule, found: regex.Match[str] | bool, units: Sequence[int], text: str) -> None:
    """A whole-line rule matched `text`, the line that `units` make (one line, or units of a split line)."""
    first, last = units[0], units[-1]
    if rule.action == Action.CAPTURE:
        page.capture(found, rule.id, first)
    if rule.action == Action.DROP_PARAGRAPH:
        for j in page.paragraph_of(first):
            page.drop(j, rule.id)
        return
    if first == last:
        page.drop(first, rule.id)
    else:  # one removal for the line, as the rule read it
        page.drop_together(units, text, rule.id)
    _drop_neighbours(page, first, last, rule)


def _apply_full_line(
    page: _Page, i: int, plan: StripPlan, scope: Scope,
    allowed: tuple[Iterable[int], Iterable[int]] | None = None,
) -> bool:
    """Try the whole-line rules on line i (`allowed`: the kept and dropping rules the prefilter let through)."""
    text, number, folded = page.texts[i], page.numbers[i], page.folded(i)
    kept_allowed, lines_allowed = allowed or (None, None)
    kept = plan.kept[scope].first(text, number, kept_allowed, folded)
    if kept:
        page.capture(kept[1], kept[0].id, i)
    hit = plan.lines[scope].first(text, number, lines_allowed, folded)
    if hit is None:
        return False
    _take(page, hit[0], hit[1], (i,), text)
    return True


def _apply_spans(page: _Page, i: int, plan: StripPlan, scope: Scope, allowed: Iterable[int] | None = None) -> bool:
    """Cut span matches out of line i; True when the line changed."""
    text, number = page.texts[i], page.numbers[i]
    hits = plan.spans[scope].spans(text, number, allowed)
    if not hits:
        return False
    pieces, last = [], 0
    for start, end, rule, found in hits:
        page.capture(found, rule.id, i)
        page.removal(i, text[start:end], rule.id)
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    page.texts[i] = " ".join("".join(pieces).split())
    if not _HAS_WORD.search(page.texts[i]):
        page.vanish(i)  # only punctuation was left; its text is reported with the spans
    return True


_Allowed = tuple[frozenset[int], frozenset[int], frozenset[int]]  # kept, dropping and span rules for one line


def _line_rule_candidates(page: _Page, indices: Sequence[int], plan: StripPlan, scope: Scope) -> list[_Allowed]:
    """For each line, the kept, dropping and span rules of `scope` its words admit (one prefilter pass each)."""
    folded = [page.folded(i) for i in indices]
    kept, lines, spans = (index[scope].candidates(folded) for index in (plan.kept, plan.lines, plan.spans))
    return list(zip(kept, lines, spans, strict=True))


def _apply_rules_to_line(page: _Page, i: int, plan: StripPlan, scope: Scope, allowed: _Allowed) -> None:
    if not page.alive[i]:
        return
    kept, lines, spans = allowed
    if _apply_full_line(page, i, plan, scope, (kept, lines)):
        return
    if (spans or plan.spans[scope].span_literals) and _apply_spans(page, i, plan, scope, spans) and page.alive[i]:
        _apply_full_line(page, i, plan, scope)


def _apply_rules_to_whole_lines(page: _Page, plan: StripPlan, again: bool = False) -> None:
    """Lines the segment stage split at sentence ends only are first read whole, as rules are written for
    lines ("caption. (Foto: X)", a caption of two sentences). `again`, after the units met the rules: what is
    left of a line that lost a unit is read whole again, as the paragraph it will print (the output, cleaned
    again, is read so); so is a line whose unit lost its edge to a cut (a dateline before "Simak video ...")."""
    if not (plan.lines[Scope.ANY].rules or plan.kept[Scope.ANY].rules):
        return
    # Read whole, a line cut by a split rule is no line the rules were written for: a rule that took a glued
    # byline or credit would take the sentences after it too ("... posko. Foto: X/detikcom Ketua tim ...").
    groups: list[tuple[list[int], str]] = []
    for units in page.split_lines:
        live = [j for j in units if page.alive[j]]
        if not again:
            if len(live) == len(units) and all(page.lines[j].cut is None for j in units):
                groups.append((live, page.whole_line(units)))
            continue
        lost_one = 1 < len(live) < len(units)
        edited = len(live) > 1 and any(page.texts[j] != page.lines[j].text for j in live)  # a cut took its edge
        if not (lost_one or edited):
            continue
        for together, text in page.kept_paragraphs(units, plan.splits):
            # A split rule's boundary matters between units kept side by side, not where a unit between left.
            if len(together) > 1 and all(page.lines[b].cut is None
                                         for a, b in itertools.pairwise(together) if b == a + 1):
                groups.append((together, text))
    if not groups:
        return
    texts = [text for _, text in groups]
    folded = [text.casefold() for text in texts]
    kept_allowed = plan.kept[Scope.ANY].candidates(folded)
    lines_allowed = plan.lines[Scope.ANY].candidates(folded, texts)
    for (members, text), low, kept_rules, line_rules in zip(groups, folded, kept_allowed, lines_allowed, strict=True):
        number, first = page.numbers[members[0]], members[0]
        kept = plan.kept[Scope.ANY].first(text, number, kept_rules, low)
        if kept and not again:
            page.capture(kept[1], kept[0].id, first)
        hit = plan.lines[Scope.ANY].first(text, number, line_rules, low)
        if hit is not None:
            _take(page, hit[0], hit[1], members, text)


def _has_line_rules(plan: StripPlan, scope: Scope) -> bool:
    return bool(plan.lines[scope].rules or plan.spans[scope].rules or plan.kept[scope].rules)


def _apply_line_rules(page: _Page, indices: Iterable[int], plan: StripPlan, scope: Scope) -> None:
    if not _has_line_rules(plan, scope):
        return
    indices = [i for i in indices if page.alive[i] and page.texts[i]]
    for i, allowed in zip(indices, _line_rule_candidates(page, indices, plan, scope), strict=True):
        _apply_rules_to_line(page, i, plan, scope, allowed)


# -- 4. blocks and repeats --------------------------------------------------------------------------------------


def _drop_blocks(page: _Page, plan: StripPlan) -> None:
    for rule in plan.rules(Action.DROP_BLOCK):
        assert rule.matcher is not None and rule.end is not None
        live = page.live()
        position = 0
        floor = -1
        while position < len(live):
            i = live[position]
            if page.alive[i] and rule.matcher.fullmatch(page.texts[i], page.numbers[i], page.folded(i)):
                window = live[position + 1: position + 1 + rule.max_lines]
                offset = next((k for k, j in enumerate(window)
                               if rule.end.fullmatch(page.texts[j], page.numbers[j], page.folded(j))), None)
                if offset is not None:
                    end = window[offset]
                    for j in range(i, end + 1):
                        page.drop(j, rule.id)
                    _drop_neighbours(page, i, end, rule, floor)
                    floor = end
                    position += 1 + offset
            position += 1


def _capture_pairs(page: _Page, plan: StripPlan, start: int = 0) -> None:
    """`capture` with `end`: a label line ("Penulis") whose value is the next line (": Name").

    A value ending in a comma goes on in the lines after it ("Von:" / "Bill McCarthy," / "Marisha
    Goldhamer": names printed one per element), as long as each reads as a value too.
    """
    if not plan.pairs.rules:
        return
    live = page.live(start)
    held = [(pair, rules) for pair, rules in zip(itertools.pairwise(live), _candidates(page, plan.pairs, live),
                                                 strict=False) if rules]  # the last line labels none
    for position, rule in enumerate(plan.pairs.rules):
        assert rule.matcher is not None and rule.end is not None
        for (label, value), rules in held:
            if position not in rules or not (page.alive[label] and page.alive[value]):
                continue
            head = rule.matcher.fullmatch(page.texts[label], page.numbers[label], page.folded(label))
            if head:
                found = rule.end.fullmatch(page.texts[value], page.numbers[value], page.folded(value))
                if found:
                    page.capture(head, rule.id, label)  # "Name" / "Jurnalis": the label line may hold a value too
                    page.capture(found, rule.id, value)
                    page.captured_at.setdefault(label, set()).update(page.captured_at.get(value, set()))
                    page.drop(label, rule.id)
                    page.drop(value, rule.id)
                    _capture_listed(page, rule, value)


#: The most lines a value listed one per line runs on for (see `_capture_pairs`).
LISTED_VALUES = 5


def _capture_listed(page: _Page, rule: Rule, value: int) -> None:
    """The lines after a pair's value that ends in a comma, while each reads as the rule's value too."""
    assert rule.end is not None
    for _ in range(LISTED_VALUES):
        if not page.texts[value].endswith(","):
            return
        after = next((i for i in range(value + 1, len(page.texts)) if page.alive[i] and page.texts[i]), None)
        if after is None:
            return
        found = rule.end.fullmatch(page.texts[after], page.numbers[after], page.folded(after))
        if not found:
            return
        page.capture(found, rule.id, after)
        page.drop(after, rule.id)
        value = after


def _drop_repeated(page: _Page, plan: StripPlan, prose: bool = True) -> None:
    """Lines printed twice in a row; with `prose`, also prose repeating text kept above (see below), in page text
    only: an HTML extractor's text holds no nested blocks printed twice."""
    for rule in plan.rules(Action.DROP_REPEATED):
        # Dropping a pair can bring two equal lines together ("a b b a"): a stack of the lines kept
        # so far finds those in one pass, as repeated pair removal would, in linear time.
        kept: list[int] = []
        for i in page.live():
            # "(aa/bb) ." and "(aa/bb) . ." are one line printed twice: the doubled stop goes when it prints
            if kept and drop_doubled_stop(page.texts[kept[-1]]) == drop_doubled_stop(page.texts[i]):
                page.drop(i, rule.id)
                if not page.prose(kept[-1]):
                    page.drop(kept.pop(), rule.id)
                continue
            kept.append(i)
        if prose:
            _drop_repeated_prose(page, rule)


#: A sentence this long printed twice is a scraper's repeat (nested blocks), not the article's refrain.
REPEAT_WORDS = 8


def _drop_repeated_prose(page: _Page, rule: Rule) -> None:
    """Prose repeating text kept above, where a block of it repeats (nested scraping prints a block's text
    again inside its parent's): two or more prose lines or units in a row that were all printed before go.

    A sentence repeated alone (an interview's question put to each guest, a meal plan's daily item) stays.
    """
    seen: set[str] = set()
    prose: list[tuple[int, bool]] = []  # the long prose lines, in order, and whether each repeats one above
    for i in page.live():
        if not page.prose(i):
            continue
        words = page.words(i)
        if words.count(" ") < REPEAT_WORDS - 1:
            continue
        prose.append((i, words in seen))
        seen.add(words)
    for position, (i, repeated) in enumerate(prose):
        if repeated and ((position > 0 and prose[position - 1][1])
                         or (position + 1 < len(prose) and prose[position + 1][1])):
            page.drop(i, rule.id)


# -- 5. a title proven by the byline or date below it -------------------------------------------------------------


def _title_from_byline(page: _Page, plan: StripPlan) -> None:
    """The headline is the line right above the first byline or date line, above the first paragraph."""
    if page.title is not None:
        return
    live = page.live()
    prose = page.prose_positions(live)
    first_prose = live[prose[0]] if prose else len(page.texts)
    byline = next((j for j in sorted(page.captured_at) if j < first_prose
                   and page.captured_at[j] & _BYLINE_FIELDS), None)
    if byline is None:
        return
    above = page.live(0, byline)
    if not above or page.line_of(above[-1]) == page.line_of(byline):
        return  # the headline is a line of its own above the byline's
    text = page.line_text(above[-1])
    if title_like(text) and not _opens_body(text, plan) and not reads_like_prose(text):
        _accept_title(page, above[-1], "structure/title")
        _drop_header(page, plan)


# -- 6/7. markers, lead and last lines --------------------------------------------------------------------------


def _drop_before_markers(page: _Page, plan: StripPlan) -> None:
    if page.title_index is None:
        return  # no headline, no "between the headline and the marker"
    for rule in plan.rules(Action.DROP_BEFORE):
        assert rule.matcher is not None
        live = page.live(page.title_index + 1)
        marker = next((i for i in live if rule.matcher.fullmatch(page.texts[i], page.numbers[i], page.folded(i))), None)
        if marker is not None:
            for i in page.live(page.title_index + 1, marker):
                page.drop(i, rule.id)


def _cut(page: _Page, i: int, rules: Sequence[Rule], action: Action) -> None:
    """Cut `rules`' prefixes (or suffixes) from line i; `rules` are the plan's rules of that action."""
    for _ in range(4):  # a dateline may follow a byline prefix: cut until nothing matches
        text = page.texts[i]
        for rule in rules:
            assert rule.matcher is not None
            if action == Action.CUT_PREFIX:
                found = rule.matcher.match_start(text, page.numbers[i], page.folded(i))
            else:
                found = rule.matcher.match_end(text, page.numbers[i], page.folded(i))
            if found and found.group().strip():
                page.capture(found, rule.id, i)
                page.removal(i, found.group().strip(), rule.id)
                rest = text[found.end():] if action == Action.CUT_PREFIX else text[: found.start()]
                page.texts[i] = rest.strip()
                if not _HAS_WORD.search(page.texts[i]):
                    page.vanish(i)
                break
        else:
            return
        if not page.alive[i]:
            return


def _apply_edge(page: _Page, plan: StripPlan, scope: Scope, action: Action) -> None:
    rules = plan.rules(action, scope)
    if not rules and not plan.lines[scope].rules and not plan.spans[scope].rules:
        return
    live = page.live()
    prose = page.prose_positions(live)
    if scope == Scope.LEAD:  # a few lines around the first paragraphs (a summary or a caption may come first)
        stop = max(prose[0] + EDGE_LINES, prose[min(EDGE_LINES, len(prose)) - 1] + 1) if prose else EDGE_LINES
        order = live[max(0, prose[0] - EDGE_LINES + 1): stop] if prose else live[:EDGE_LINES]
    else:
        order = live[max(0, prose[-1] - EDGE_LINES + 1): prose[-1] + EDGE_LINES] if prose else live[-EDGE_LINES:]
        order.reverse()
    suffix_line = live[prose[-1]] if prose else (live[-1] if live else -1)
    # One prefilter pass for all the lines: rules and cuts on a line change no other line's text.
    allowed = _line_rule_candidates(page, order, plan, scope) if _has_line_rules(plan, scope) else [None] * len(order)
    for i, line_allowed in zip(order, allowed, strict=True):
        if not page.alive[i]:
            continue
        if line_allowed is not None:
            _apply_rules_to_line(page, i, plan, scope, line_allowed)
        if page.alive[i] and (scope == Scope.LEAD or i == suffix_line):
            text = page.texts[i]
            _cut(page, i, rules, action)  # a suffix is cut from the last paragraph only
            if page.texts[i] != text and scope == Scope.LEAD:
                _drop_caption_above_dateline(page, i)
            if page.alive[i] and page.texts[i] != text:
                _apply_line_rules(page, [i], plan, Scope.ANY)  # what is left may be chrome itself


#: How a photo caption ends: the day it was taken in brackets, "... di Jakarta, Jumat (3/5/2024)."
_CAPTION_DATE_END = regex.compile(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)\.?$")


def _drop_caption_above_dateline(page: _Page, dateline: int) -> None:
    """The article starts at its dateline: right above it, the first sentence of the dateline's own line (or the
    page's first line) that ends with the photo's date in brackets is the caption a scraper printed first."""
    above = page.live(0, dateline)
    if not above or not page.captured_at.get(dateline, set()) & {"dateline", "outlet"}:
        return
    i = above[-1]
    opens_its_line = not any(page.prose(j) for j in above[:-1] if page.numbers[j] == page.numbers[i])
    if (page.numbers[i] == page.numbers[dateline] or len(above) == 1) and opens_its_line \
            and _CAPTION_DATE_END.search(page.texts[i]):
        page.drop(i, "structure/caption-above-dateline")


#: Inside the body, this many non-prose lines in a row are a link list, not subheadings.
LINK_LIST_RUN = 3


_LETTER_WORD = regex.compile(r"\p{L}+")


def _stamp(text: str) -> bool:
    """A date, time or count with at most two words of letters ("- Kamis, 05/11/2015 10:08 WIB")."""
    return any(c.isdigit() for c in text) and len(_LETTER_WORD.findall(text)) <= 2


def _label_or_headline(text: str) -> bool:
    """At the edge of an extracted article: a label ("Share", "Related") or another article's headline."""
    return not has_words(text, 4) or (headline_case(text) and not ends_like_sentence(text))


def _drop_outside_body(page: _Page, full_page: bool = True) -> None:
    """Full-page text: menus before the first paragraph, sidebars and footers after the last one.

    Only lines that do not read like prose go; pages without a prose line are left alone. Text that an
    HTML extractor already cut to the article (`full_page=False`) keeps the lists inside its body, and at
    its edges only labels and headlines go (below the last paragraph, a list of three or more lines stays
    but for its labels and date stamps).
    """
    if page.body_end is not None:
        end, rule = page.body_end
        for i in page.live(end + 1):
            page.drop(i, rule)
    live = page.live()
    prose = page.prose_positions(live)
    if not prose:
        return
    _capture_names_above_body(page, live[prose[0] - 1] if prose[0] else None)
    # In text an extractor already cut to the article, a short sentence at an edge is the article's own.
    for i in live[: prose[0]]:
        if full_page or _label_or_headline(page.texts[i]):
            page.drop(i, "structure/before-body")
    tail = live[prose[-1] + 1:]
    if not full_page and len(tail) >= LINK_LIST_RUN:
        # A list closing an extracted article (tour dates, a ranking, qualified teams) is the article's own;
        # of it only labels and bare date stamps (a teaser list's dates) go.
        tail = [i for i in tail if not has_words(page.texts[i], 4) or _stamp(page.texts[i])]
    for i in tail:
        if full_page or _label_or_headline(page.texts[i]):
            page.drop(i, "structure/after-body")
    if not full_page:
        return
    run: list[int] = []
    for i in [*live[prose[0]: prose[-1] + 1], -1]:
        if i != -1 and not page.prose(i):
            run.append(i)
            continue
        if len(run) >= LINK_LIST_RUN and _reads_like_links(page, run):
            for j in run:
                page.drop(j, "structure/link-list")
        run = []


def _capture_names_above_body(page: _Page, i: int | None) -> None:
    """A line of names alone right above the first paragraph is the byline ("Mohloai Mpesi"), where no rule
    found one: it goes as the byline it is, its names the authors. A line whose words all come from the
    headline is its kicker ("Premier League" above "Premier League: ..."), not a byline."""
    if i is None or i == page.title_index or any(c.field == "authors" for c in page.captures):
        return
    text = page.texts[i]
    if reads_like_names(text) and not set(fold_words(text).split()) <= set(fold_words(page.title or "").split()):
        page.captures.append(Capture("authors", text, NAMES_ABOVE_BODY, page.numbers[i]))
        page.drop(i, NAMES_ABOVE_BODY)


def _reads_like_links(page: _Page, run: Sequence[int]) -> bool:
    """A run of short lines inside the body is a link list only when every line is headline-shaped and the
    article did not introduce it ("... sebagai berikut:"): otherwise it is the article's own list."""
    before = run[0] - 1
    while before >= 0 and not (page.alive[before] and page.texts[before]):
        before -= 1
    if before >= 0 and page.texts[before].endswith(":"):
        return False
    return all(headline_shaped(page.texts[j]) for j in run)


def strip_chrome(doc: Document, site: RuleSet | None, plan: StripPlan, metadata_only: bool = False) -> Document:
    """Apply the plan's rules to the page; `site` is the page's site rule set (its title spec).

    `metadata_only` is for text read for its bylines, dates and datelines, not its body (an HTML page's
    text around the extracted article): after the line rules, the lead lines are read once and the
    body-shaping steps (sign-off, edges of the body, the repeat until stable) are skipped.
    """
    page = _Page(doc.lines)
    page.settle_units(plan.splits)
    _drop_footers(page, plan)
    _find_title(page, doc, site, plan)
    _drop_header(page, plan)
    _drop_blocks(page, plan)
    _capture_pairs(page, plan)
    _apply_rules_to_whole_lines(page, plan)
    _apply_line_rules(page, page.live(), plan, Scope.ANY)
    _apply_rules_to_whole_lines(page, plan, again=True)
    _drop_repeated(page, plan, prose=doc.format != "html")
    _apply_rules_to_whole_lines(page, plan, again=True)  # a line that lost its repeated units, read whole
    read_whole = (tuple(page.alive), tuple(page.texts))
    _title_from_byline(page, plan)
    _drop_before_markers(page, plan)
    if metadata_only:
        _apply_edge(page, plan, Scope.LEAD, Action.CUT_PREFIX)  # a dateline the extracted body lacks
    else:
        _find_body_end(page, plan)
    # Each of these can bring new lines to the edges: repeat until nothing changes.
    for _ in range(0 if metadata_only else 8):
        before = (tuple(page.alive), tuple(page.texts))  # every removal changes one of these
        page.settle_units(plan.splits)  # on what the rules left
        _apply_edge(page, plan, Scope.LEAD, Action.CUT_PREFIX)
        _apply_edge(page, plan, Scope.LAST, Action.CUT_SUFFIX)
        if (tuple(page.alive), tuple(page.texts)) != read_whole:
            # a cut line or one that lost a unit since the lines were last read whole, read as its output is read
            _apply_rules_to_whole_lines(page, plan, again=True)
            read_whole = (tuple(page.alive), tuple(page.texts))
        page.settle_units(plan.splits)  # and on what the cuts left
        _drop_outside_body(page, full_page=doc.format != "html")
        # Cuts can leave two equal lines (same dateline, same body); only a changed text makes a new repeat.
        _drop_repeated(page, plan, prose=doc.format != "html" and before[1] != tuple(page.texts))
        if before == (tuple(page.alive), tuple(page.texts)):
            break
    return dataclasses.replace(
        doc,
        lines=page.result(),
        title=page.title,
        captures=doc.captures + tuple(sorted(page.captures, key=lambda c: c.line)),  # page order: nearest the top wins
        removed=doc.removed + tuple(sorted(page.removed, key=lambda r: r.line)),
    )
