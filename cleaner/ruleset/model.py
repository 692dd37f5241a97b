"""Compiled rules: what a YAML rule file becomes once it has been validated.

Everything here is immutable and picklable (compiled `regex` patterns pickle by
source and flags), so a `Cleaner` can be shipped to worker processes.
Every pattern call goes through `Matcher`, which passes the `regex` timeout and
turns a timeout into `RuleTimeout` naming the rule, so a bad pattern costs one
page an error record instead of hanging the run.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import regex

#: Metadata fields a rule may capture with a named group.
METADATA_FIELDS = frozenset(
    {"title", "outlet", "authors", "editors", "published", "dateline", "category", "tags", "agency", "credits"}
)


class Action(str, enum.Enum):
    """What a rule does with the lines it matches."""

    DROP_LINE = "drop_line"  # the whole line matches: drop it
    DROP_PARAGRAPH = "drop_paragraph"  # a line matches: drop its whole paragraph (lines up to a blank line)
    DROP_SPAN = "drop_span"  # drop every match inside a line
    CUT_PREFIX = "cut_prefix"  # drop a match at the start of a line (datelines)
    CUT_SUFFIX = "cut_suffix"  # drop a match at the end of a line (trailing credits)
    CAPTURE = "capture"  # the whole line matches: record its named groups as metadata, drop it
    DROP_BLOCK = "drop_block"  # drop from a line matching `pattern` to the next line matching `end`
    DROP_AFTER = "drop_after"  # a footer marker: drop it and everything after it
    END_BODY = "end_body"  # the article's last line (a sign-off): every later line leaves, sentences too
    DROP_BEFORE = "drop_before"  # drop everything between the title and the marker (marker stays)
    DROP_REPEATED = "drop_repeated"  # drop a line that is repeated right after itself (doubled captions)


class Scope(str, enum.Enum):
    """Which lines a rule looks at."""

    ANY = "any"  # every body line
    HEAD = "head"  # lines above the title (page header), before the header is dropped
    LEAD = "lead"  # the first few body lines (datelines)
    LAST = "last"  # the last few body lines (sign-offs, trailing credits)


#: How many non-blank lines the `lead` and `last` scopes cover.
EDGE_LINES = 3


class RuleTimeout(Exception):
    """A pattern ran past the `regex` timeout on one page."""

    def __init__(self, rule: str, line: int | None) -> None:
        where = f" on line {line}" if line else ""
        super().__init__(f"rule {rule!r} timed out{where}: its pattern backtracks too much on this page")
        self.rule = rule
        self.line = line


@dataclass(frozen=True)
class Matcher:
    """Literal lines and/or regexes; a line matches if any of them does."""

    literals: frozenset[str]
    patterns: tuple[regex.Pattern[str], ...]
    ignore_case: bool
    timeout: float
    rule: str

    def _key(self, text: str) -> str:
        return text.casefold() if self.ignore_case else text

    def fullmatch(self, text: str, line: int | None = None) -> regex.Match[str] | bool | None:
        """The match of the whole line (True for a literal), or None."""
        if self.literals and self._key(text) in self.literals:
            return True
        for pattern in self.patterns:
            try:
                found = pattern.fullmatch(text, timeout=self.timeout)
            except TimeoutError:
                raise RuleTimeout(self.rule, line) from None
            if found:
                return found
        return None

    def _first_nonempty(self, method: str, text: str, line: int | None) -> regex.Match[str] | None:
        for pattern in self.patterns:
            try:
                found: regex.Match[str] | None = getattr(pattern, method)(text, timeout=self.timeout)
            except TimeoutError:
                raise RuleTimeout(self.rule, line) from None
            if found and found.end() > found.start():
                return found
        return None

    def match_start(self, text: str, line: int | None = None) -> regex.Match[str] | None:
        """A match anchored at the start of the line (for prefixes)."""
        return self._first_nonempty("match", text, line)

    def match_end(self, text: str, line: int | None = None) -> regex.Match[str] | None:
        """A match that ends at the end of the line (for suffixes); patterns are compiled with `$`."""
        return self._first_nonempty("search", text, line)

    def spans(self, text: str, line: int | None = None) -> Iterator[tuple[int, int, regex.Match[str] | None]]:
        """Every non-empty match inside the line, as (start, end, match)."""
        if self.literals:
            haystack = self._key(text)
            for literal in self.literals:
                start = haystack.find(literal)
                while start != -1:
                    yield start, start + len(literal), None
                    start = haystack.find(literal, start + len(literal))
        for pattern in self.patterns:
            try:
                for found in pattern.finditer(text, timeout=self.timeout):
                    if found.end() > found.start():
                        yield found.start(), found.end(), found
            except TimeoutError:
                raise RuleTimeout(self.rule, line) from None


@dataclass(frozen=True)
class Rule:
    """One rule of a rule set, compiled."""

    id: str  # "<rule set id>/<rule id>", as reported in `removed`
    action: Action
    matcher: Matcher | None
    end: Matcher | None = None  # drop_block only
    scope: Scope = Scope.ANY
    keep: bool = False  # capture only: keep the line in the body
    with_previous: int = 0  # drop_line: also drop up to N short non-sentence lines above
    with_next: int = 0  # drop_line: ... and below
    max_lines: int = 40  # drop_block: longest block it may drop
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class TitleSpec:
    """Where a site puts its headline in page text."""

    first_line: bool = False  # the first body line
    before: Matcher | None = None  # the last non-blank line above the first line matching this
    after: Matcher | None = None  # the first non-blank line below the first line matching this
    pattern: Matcher | None = None  # the first line matching this (group `title` if any)


@dataclass(frozen=True)
class HtmlSpec:
    """A site's HTML knowledge: XPaths to prune before extraction, the body element, metadata elements."""

    prune: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    meta: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """The rules of one YAML file: a site (chosen per page) or generic (every page)."""

    id: str
    kind: str  # "site" or "generic"
    file: str
    name: str | None = None
    domains: tuple[str, ...] = ()
    signatures: tuple[regex.Pattern[str], ...] = ()
    title: TitleSpec | None = None
    rules: tuple[Rule, ...] = ()
    language: str | None = None
    description: str | None = None
    html: HtmlSpec | None = None


_GLOBAL_FLAG = regex.compile(r"\(\?[a-zA-Z]+\)|\\[1-9]|\(\?P=|\\g<")


@dataclass(frozen=True)
class RuleIndex:
    """Rules of one kind merged into a single alternation, so each line costs one pattern call.

    A `regex` call with `timeout=` costs about 3 µs however simple the pattern, so calling every rule
    on every line would cap the cleaner at a few MB/s. Each rule's patterns become branches
    `(?P<_cleaner_K>...)` in rule order, so the first branch that matches is the first rule that would
    have. Patterns that cannot be wrapped (global inline flags, numbered back-references) and literal
    lines are checked on their own. On a timeout the rules are retried one by one to name the culprit.
    """

    rules: tuple[Rule, ...]
    combined: regex.Pattern[str] | None
    branch_groups: tuple[tuple[int, int], ...]  # (group number of the wrapper, rule position)
    alone: tuple[tuple[int, regex.Pattern[str]], ...]  # (rule position, pattern) checked separately
    exact: dict[str, int]
    folded: dict[str, int]
    timeout: float
    lone_spans: tuple[tuple[Rule, Matcher], ...] = ()  # literal or unwrappable span patterns, per rule
    line_scan: regex.Pattern[str] | None = None  # the branches anchored at line starts, for `candidates`

    @classmethod
    def build(cls, rules: Sequence[Rule], timeout: float) -> RuleIndex:
        branches: list[str] = []
        names: list[tuple[str, int]] = []
        alone: list[tuple[int, regex.Pattern[str]]] = []
        exact: dict[str, int] = {}
        folded: dict[str, int] = {}
        for position, rule in enumerate(rules):
            if rule.matcher is None:
                continue
            for literal in rule.matcher.literals:
                (folded if rule.matcher.ignore_case else exact).setdefault(literal, position)
            for pattern in rule.matcher.patterns:
                if _GLOBAL_FLAG.search(pattern.pattern):
                    alone.append((position, pattern))
                    continue
                name = f"_cleaner_{len(branches)}"
                flags = "i" if pattern.flags & regex.IGNORECASE else "-i"
                branches.append(f"(?P<{name}>(?{flags}:{pattern.pattern}))")
                names.append((name, position))
        alternation = "|".join(branches)
        # MULTILINE changes nothing on one line, and lets the same pattern scan a whole page for spans
        combined = regex.compile(alternation, regex.VERSION0 | regex.MULTILINE) if branches else None
        groups = tuple((combined.groupindex[name], position) for name, position in names) if combined else ()
        lone_spans = []
        for position, rule in enumerate(rules):
            own = tuple(p for where, p in alone if where == position)
            if rule.matcher is not None and (rule.matcher.literals or own):
                lone = Matcher(rule.matcher.literals, own, rule.matcher.ignore_case, timeout, rule.id)
                lone_spans.append((rule, lone))
        line_scan = regex.compile(f"^(?:{alternation})", regex.VERSION0 | regex.MULTILINE) if branches else None
        return cls(tuple(rules), combined, groups, tuple(alone), exact, folded, timeout, tuple(lone_spans),
                   line_scan)

    def candidates(self, text: str, starts: Sequence[int], whole_line: bool) -> set[int] | None:
        """Which lines of `text` (lines joined by newlines, starting at `starts`) may match; None = all.

        One search over the page replaces a pattern call per line. For whole-line rules it tries every
        line start (`overlapped`, anchored by `^`), so a match running over a line break only adds a
        candidate. For spans a plain scan is exact unless a match crosses a line break; then every
        line is a candidate. Candidates are checked again on their own line.
        """
        scan = self.line_scan if whole_line else self.combined
        if scan is None:
            return set()
        budget = max(self.timeout, len(text) / 2e6)  # at least 2 MB/s before a page counts as stalled
        hits: set[int] = set()
        try:
            for found in scan.finditer(text, overlapped=whole_line, timeout=budget):
                if not whole_line and "\n" in found.group():
                    return None
                hits.add(bisect.bisect_right(starts, found.start()) - 1)
        except TimeoutError:
            return None  # let the per-line calls find (and name) the slow rule
        return hits

    def _culprit(self, text: str, line: int | None, method: str) -> RuleTimeout:
        for rule in self.rules:
            for pattern in rule.matcher.patterns if rule.matcher else ():
                try:
                    getattr(pattern, method)(text, timeout=self.timeout)
                except TimeoutError:
                    return RuleTimeout(rule.id, line)
        return RuleTimeout(self.rules[0].id if self.rules else "?", line)

    def _branch(self, found: regex.Match[str]) -> int:
        return next(position for group, position in self.branch_groups if found.start(group) != -1)

    def first(
        self, text: str, line: int | None = None, *, regexes: bool = True
    ) -> tuple[Rule, regex.Match[str] | bool] | None:
        """The first rule (in rule order) whose pattern matches the whole line, with its match.

        `regexes=False` checks only the literal lines (the line is not a candidate of the page scan).
        """
        best: tuple[int, regex.Match[str] | bool] | None = None
        position = self.exact.get(text)
        if position is None and self.folded:
            position = self.folded.get(text.casefold())
        if position is not None:
            best = (position, True)
        if self.combined is not None and regexes:
            try:
                found = self.combined.fullmatch(text, timeout=self.timeout)
            except TimeoutError:
                raise self._culprit(text, line, "fullmatch") from None
            if found:
                position = self._branch(found)
                if best is None or position < best[0]:
                    best = (position, found)
        for position, pattern in self.alone:
            if best is not None and position >= best[0]:
                break
            try:
                found = pattern.fullmatch(text, timeout=self.timeout)
            except TimeoutError:
                raise RuleTimeout(self.rules[position].id, line) from None
            if found:
                best = (position, found)
        return (self.rules[best[0]], best[1]) if best else None

    def spans(self, text: str, line: int | None = None) -> list[tuple[int, int, Rule, regex.Match[str] | None]]:
        """Every non-overlapping match inside the line, leftmost first, with the rule that made it."""
        hits: list[tuple[int, int, Rule, regex.Match[str] | None]] = []
        if self.combined is not None:
            try:
                for found in self.combined.finditer(text, timeout=self.timeout):
                    if found.end() > found.start():
                        hits.append((found.start(), found.end(), self.rules[self._branch(found)], found))
            except TimeoutError:
                raise self._culprit(text, line, "search") from None
        for rule, lone in self.lone_spans:
            hits.extend((start, end, rule, found) for start, end, found in lone.spans(text, line))
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        kept: list[tuple[int, int, Rule, regex.Match[str] | None]] = []
        for hit in hits:
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        return kept
