"""Compiled rules: what a YAML rule file becomes once it has been validated.

Everything here is immutable and picklable (compiled `regex` patterns pickle by
source and flags), so a `Cleaner` can be shipped to worker processes.
Every pattern call goes through `Matcher`, which passes the `regex` timeout and
turns a timeout into `RuleTimeout` naming the rule, so a bad pattern costs one
page an error record instead of hanging the run.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

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

    def match_start(self, text: str, line: int | None = None) -> regex.Match[str] | None:
        """A match anchored at the start of the line (for prefixes)."""
        for pattern in self.patterns:
            try:
                found = pattern.match(text, timeout=self.timeout)
            except TimeoutError:
                raise RuleTimeout(self.rule, line) from None
            if found and found.end() > 0:
                return found
        return None

    def match_end(self, text: str, line: int | None = None) -> regex.Match[str] | None:
        """A match that ends at the end of the line (for suffixes); patterns are compiled with `$`."""
        for pattern in self.patterns:
            try:
                found = pattern.search(text, timeout=self.timeout)
            except TimeoutError:
                raise RuleTimeout(self.rule, line) from None
            if found and found.end() > found.start():
                return found
        return None

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
