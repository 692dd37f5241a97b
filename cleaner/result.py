"""The typed result of cleaning one document, and its JSONL form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cleaner.document import Removal
from cleaner.fields import RECORD_FIELDS

#: The warning of a record whose body came out empty.
NO_BODY = "no article body found"
#: The warning of a body shorter than the run's minimum, and the same warning counted by kind ("N").
_SHORT_BODY = re.compile(r"body shorter than (?:\d+|N) characters")


def short_body_warning(min_chars: int) -> str:
    """The warning of a body shorter than `min_chars` characters."""
    return f"body shorter than {min_chars} characters"


def is_body_warning(warning: str) -> bool:
    """One of the two warnings about the body itself (none, or too short), which runs count on their own line
    and `--drop-empty` leaves out; in a record or counted by kind."""
    return warning == NO_BODY or _SHORT_BODY.fullmatch(warning) is not None


@dataclass(frozen=True)
class CleanResult:
    """The article body and metadata of one page.

    `text` holds paragraphs separated by one blank line. `removed` lists every
    line or span that left the body with the rule that removed it. `error` is set
    (and `text` empty) when the document could not be cleaned.
    """

    id: str | None = None
    url: str | None = None
    site: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    published: str | None = None
    dateline: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    agency: str | None = None
    credits: list[str] = field(default_factory=list)
    language: str | None = None
    text: str = ""
    warnings: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    error: str | None = None
    #: What kind of failure `error` is: "input", "document", "timeout", "rule-timeout", "too-large", "internal"
    #: or "worker" (the run statistics count by it; not in the JSONL record).
    error_kind: str | None = None
    #: Seconds spent in each stage (for the run statistics; not in the record, not compared).
    timings: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """The JSONL record; `removed` only with `explain=True`, `error` only when set."""
        record: dict[str, Any] = {name: getattr(self, name) for name in RECORD_FIELDS}
        if explain:
            record["removed"] = [r.to_dict() for r in self.removed]
        if self.error is not None:
            record["error"] = self.error
        return record
