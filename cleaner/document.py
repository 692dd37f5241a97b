"""The one document type every pipeline stage takes and returns.

Stages are pure: they never mutate a `Document`, they return a new one
(`dataclasses.replace`). Lines keep the number they had in the decoded input,
so every removal can be reported against the text the user handed over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Line, Removal and Capture are named tuples: immutable like a frozen dataclass, but built in a fifth of its
# time, and a page makes hundreds of each (change one with `_replace`).


class Line(NamedTuple):
    """One line of the page, or one unit of a line the segment stage split; `number` is 1-based in the input.

    A unit keeps where it came from: `column` is its offset in the line, `part` its position among the
    line's units, and `glue` the text that joined it to the unit before (None for a line's first unit), so
    the tidy stage can put units that stay next to each other back together exactly as the input had them.
    `cut` names the split rule whose boundary parted it from the unit before (None: a sentence end);
    `edited` is set when a rule cut text out of it (a dateline, a span).
    """

    number: int
    text: str
    column: int = 0
    part: int = 0
    glue: str | None = None
    cut: str | None = None
    edited: bool = False


class Removal(NamedTuple):
    """A line or span that left the body, and the rule that removed it.

    `column` is the 0-based offset of `text` in its line (as normalised: stripped, spaces collapsed).
    """

    line: int
    text: str
    rule: str
    column: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "text": self.text, "rule": self.rule}


class Capture(NamedTuple):
    """A raw metadata value found by a rule, before the metadata stage parses it.

    `below_body` marks a value an HTML page prints below its article's last paragraph, where the
    teasers of other articles (their bylines, their dates) begin.
    """

    field: str
    value: str
    rule: str
    line: int
    below_body: bool = False


@dataclass(frozen=True)
class HtmlFacts:
    """What an HTML page states about itself, read once by the HTML stage (`cleaner.html.extract`) for the
    metadata stage and the page pass: its declared metadata, a site rule's XPath values, and its text."""

    title: str | None = None  # the declared title (meta tags, JSON-LD, <title>)
    author: str | None = None  # a declared author (creator tags, meta, JSON-LD), never a bare handle
    date: str | None = None  # htmldate's reading of the page
    sitename: str | None = None
    hostname: str | None = None  # the registered domain of the page's URL
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    declared_authors: tuple[str, ...] = ()  # the article's JSON-LD authors (people and agencies)
    publishers: tuple[str, ...] = ()  # the JSON-LD publishers' names (never an author)
    site_values: Mapping[str, str] = field(default_factory=dict)  # a site rule's `html: meta:` fields read
    page_text: str | None = None  # the whole page as text, for the page pass and `cleaner explain`
    visible_text: str | None = None  # what the page prints where a declared body replaced the extraction


@dataclass(frozen=True)
class Document:
    """A page on its way through the pipeline.

    `text` holds the decoded input until the normalise stage splits it into
    `lines`; from then on `lines` is the body and `text` is left untouched.
    """

    id: str
    text: str
    url: str | None = None
    given_title: str | None = None
    raw: bytes | None = None
    lines: tuple[Line, ...] = ()
    site: str | None = None
    title: str | None = None
    captures: tuple[Capture, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: tuple[Removal, ...] = ()
    warnings: tuple[str, ...] = ()
    format: str = "text"  # "text" or "html" (an HTML page goes through the extract_html stage first)
    html: HtmlFacts | None = None  # what an HTML page states about itself (None for text input)
    language: str | None = None  # the page's language (ISO 639-1), as the site says or detected before strip
    source: str | None = None  # the input it came from (its group for learned rules when it has no URL or site)

    def body_text(self) -> str:
        """The body as paragraphs separated by one blank line."""
        return "\n\n".join(line.text for line in self.lines if line.text)
