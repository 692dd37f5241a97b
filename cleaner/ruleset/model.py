"""Compiled rules: what a YAML rule file becomes once it has been validated.

Everything here is immutable and picklable (compiled `regex` patterns pickle by
source and flags), so a `Cleaner` can be shipped to worker processes.
Every pattern call goes through `Matcher`, which passes the `regex` timeout and
turns a timeout into `RuleTimeout` naming the rule, so a bad pattern costs one
page an error record instead of hanging the run. The bundled rules' patterns are
`vetted`: the suite runs them on adversarial lines (`tests/ruleset/test_rules.py`), so on a line no
longer than those they run without the timeout, whose argument alone costs more than
most pattern calls.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from cleaner.errors import RuleTimeout
from cleaner.fields import CAPTURED_FIELDS
from cleaner.ruleset.prefilter import admits, required_literals
from cleaner.ruleset.structure import StructureConfig

#: Longest line a vetted pattern runs on without its timeout: the length of the load-time probe lines, on
#: which every pattern finished well within the probe timeout.
VETTED_LINE_LENGTH = 4000

#: Metadata fields a rule may capture with a named group.
METADATA_FIELDS = frozenset(CAPTURED_FIELDS)


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
    SPLIT = "split"  # a unit boundary: the segment stage splits a line before and after every match


class Scope(str, enum.Enum):
    """Which lines a rule looks at."""

    ANY = "any"  # every body line
    HEAD = "head"  # lines above the title (page header), before the header is dropped
    LEAD = "lead"  # the first few body lines (datelines)
    LAST = "last"  # the last few body lines (sign-offs, trailing credits)


@dataclass(frozen=True)
class Matcher:
    """Literal lines and/or regexes; a line matches if any of them does.

    `needs[k]` are the case-folded words one of which every match of `patterns[k]` contains (None: unknown,
    see `prefilter`); a caller that has the line case-folded passes it as `folded` and lines without any
    of them skip the pattern call.
    """

    literals: frozenset[str]
    patterns: tuple[regex.Pattern[str], ...]
    ignore_case: bool
    timeout: float
    rule: str
    vetted: bool = False  # a bundled rule's: no timeout on lines up to VETTED_LINE_LENGTH
    needs: tuple[frozenset[str] | None, ...] = field(init=False, repr=False, compare=False)
    #: What each pattern's call checks first on a case-folded line: its `needs` where the matcher has several
    #: patterns; nothing for a single one, whose words are the rule's own, which the index found in the line
    #: before the rule was asked (a check of a hundred words per call, for nothing).
    checks: tuple[frozenset[str] | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", tuple(required_literals(p) for p in self.patterns))
        object.__setattr__(self, "checks", self.needs if len(self.patterns) > 1 else (None,) * len(self.patterns))

    def call(self, pattern: regex.Pattern[str], method: str, text: str, line: int | None) -> Any:
        """`pattern.method(text)` under this matcher's guarantee; a timeout becomes `RuleTimeout`.

        `finditer` comes back as a list, as it times out while iterating.
        """
        try:
            if self.vetted and len(text) <= VETTED_LINE_LENGTH:
                found = getattr(pattern, method)(text)
            else:
                found = getattr(pattern, method)(text, timeout=self.timeout)
            return list(found) if method == "finditer" else found
        except TimeoutError:
            raise RuleTimeout(self.rule, line) from None

    def first_fullmatch(self, text: str, line: int | None = None, folded: str | None = None) -> regex.Match[str] | None:
        """The match of the first pattern that matches the whole line (literal lines: the caller's); `folded` as
        for `fullmatch`."""
        unguarded = self.vetted and len(text) <= VETTED_LINE_LENGTH
        for pattern, needs in zip(self.patterns, self.checks, strict=True):
            if folded is not None and not admits(needs, folded):
                continue
            found: regex.Match[str] | None = (pattern.fullmatch(text) if unguarded
                                              else self.call(pattern, "fullmatch", text, line))
            if found:
                return found
        return None

    def _key(self, text: str) -> str:
        return text.casefold() if self.ignore_case else text

    def fullmatch(
        self, text: str, line: int | None = None, folded: str | None = None
    ) -> regex.Match[str] | bool | None:
        """The match of the whole line (True for a literal), or None."""
        if self.literals and self._key(text) in self.literals:
            return True
        return self.first_fullmatch(text, line, folded)

    def _first_nonempty(self, method: str, text: str, line: int | None, folded: str | None) -> regex.Match[str] | None:
        for pattern, needs in zip(self.patterns, self.checks, strict=True):
            if folded is not None and not admits(needs, folded):
                continue
            found: regex.Match[str] | None = self.call(pattern, method, text, line)
            if found and found.end() > found.start():
                return found
        return None

    def match_start(self, text: str, line: int | None = None, folded: str | None = None) -> regex.Match[str] | None:
        """A match anchored at the start of the line (for prefixes); `folded` as for `fullmatch`."""
        return self._first_nonempty("match", text, line, folded)

    def match_end(self, text: str, line: int | None = None, folded: str | None = None) -> regex.Match[str] | None:
        """A match that ends at the end of the line (for suffixes); patterns are compiled with `$`."""
        return self._first_nonempty("search", text, line, folded)

    def boundaries(self, text: str, line: int | None = None, folded: str | None = None) -> Iterator[tuple[int, int]]:
        """Every match inside the line as (start, end), empty ones too (a split rule's `(?=...)` boundary);
        `folded` as for `fullmatch`."""
        unguarded = self.vetted and len(text) <= VETTED_LINE_LENGTH
        for pattern, needs in zip(self.patterns, self.checks, strict=True):
            if folded is not None and not admits(needs, folded):
                continue
            for found in pattern.finditer(text) if unguarded else self.call(pattern, "finditer", text, line):
                yield found.start(), found.end()

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
            for found in self.call(pattern, "finditer", text, line):
                if found.end() > found.start():
                    yield found.start(), found.end(), found


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
    headlines: bool = False  # split: the text after the match is headlines glued to each other and to the article
    languages: frozenset[str] | None = None  # the page languages it acts on (None: every page)
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
    kind: str  # "site", "generic" or "learned" (written by `cleaner learn`, applied after both)
    file: str
    name: str | None = None
    domains: tuple[str, ...] = ()
    signatures: tuple[regex.Pattern[str], ...] = ()
    title: TitleSpec | None = None
    rules: tuple[Rule, ...] = ()
    language: str | None = None
    description: str | None = None
    family: bool = False  # the domains are a network of outlets: a page's outlet is its own, not `name`
    html: HtmlSpec | None = None
    structure: StructureConfig | None = None  # a site's own thresholds and switches (None: the defaults)
    learned_from: str | None = None  # kind "learned": the group of documents the rules apply to
