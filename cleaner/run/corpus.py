"""Cleaning a stream of documents: one result per input, in input order, on every core.

The library's `Pipeline.clean_many` and the CLI share this: both hand `workers.ordered_map` a small
picklable task over batches of `InputDocument`s. The CLI's task also renders each record as its JSONL
line in the worker, so the parent process only reads inputs and writes lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.result import CleanResult
from cleaner.run.inputs import InputDocument, parse_line, record_document
from cleaner.run.stats import DocumentFacts
from cleaner.run.workers import OVERRAN, ordered_map

if TYPE_CHECKING:
    from cleaner.pipeline import Pipeline

#: Seconds a worker gets on a document beyond `timeout` before the parent stops it from outside: the
#: in-worker limit is a signal, which a long call into C code (lxml, a regex without timeout) cannot hear.
HARD_LIMIT_GRACE = 5.0

Page = str | bytes | Mapping[str, Any] | InputDocument


def clean_item(cleaner: Pipeline, item: InputDocument, timeout: float | None, format: str | None = None) -> CleanResult:
    """One document's result; an input that could not be read becomes its error record."""
    item = parse_line(item)
    if item.error is not None:
        return CleanResult(id=item.id, url=item.url, error=item.error, error_kind="input")
    assert item.payload is not None
    return cleaner.clean_or_error(
        item.payload, item.url, title=item.title, id=item.id, timeout=timeout, format=format or item.format,
        source=item.source,
    )


def lost_result(item: InputDocument, reason: str) -> CleanResult:
    """The record of a document whose worker died, or was stopped for overrunning the time limit, on it."""
    if reason == OVERRAN:
        return CleanResult(id=item.id, url=item.url, error="cleaning took longer than the --timeout limit and "
                           "could not be interrupted; its worker was stopped from outside", error_kind="timeout")
    return CleanResult(id=item.id, url=item.url, error=f"not cleaned: {reason}", error_kind="worker")


def payload_size(item: InputDocument) -> int:
    """What a document weighs in a batch (see `workers.batches`)."""
    return item.size


def hard_limit(timeout: float | None) -> Callable[[InputDocument], float | None]:
    """Seconds a document may hold its worker, from the in-worker limit (None: no limit)."""

    def limit(_document: InputDocument) -> float | None:
        return timeout + HARD_LIMIT_GRACE if timeout else None

    return limit


@dataclass(frozen=True)
class ResultTask:
    """A batch of documents to their `CleanResult`s (what `Pipeline.clean_many` yields)."""

    cleaner: Pipeline
    timeout: float | None = None
    format: str | None = None

    def __call__(self, batch: list[InputDocument]) -> list[CleanResult]:
        return [clean_item(self.cleaner, item, self.timeout, self.format) for item in batch]


@dataclass(frozen=True)
class Outcome:
    """What the CLI needs of one cleaned document: its JSONL line (None when dropped) and its facts."""

    id: str
    line: str | None
    error: str | None
    warning: str | None  # the body warning, when the body is empty or short
    facts: DocumentFacts
    where: str | None = None  # its JSONL line, for the unique-id check (`inputs.UniqueIds`)
    url: str | None = None
    rejected: str | None = None  # a record left out, as a JSONL line with "left_out" (for --rejected)


#: Characters JSON leaves raw in a string that `str.splitlines()` (and older JavaScript) read as line ends.
_LINE_ENDS_IN_STRINGS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: dict[str, Any]) -> str:
    """A record as one JSONL line, readable by any line splitter: the Unicode line separators JSON allows
    raw in strings are escaped (they can only occur inside strings, so the escape is exact)."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_ENDS_IN_STRINGS) + "\n"


@dataclass(frozen=True)
class RecordTask:
    """A batch of documents to JSONL lines and run facts, rendered in the worker.

    JSONL lines arrive unparsed and are parsed here.
    """

    cleaner: Pipeline
    timeout: float | None = None
    format: str | None = None
    explain: bool = False
    drop_short: bool = False
    languages: frozenset[str] | None = None  # keep only documents detected in these (--language)
    keep_rejected: bool = False  # render the records left out too (--rejected)

    def __call__(self, batch: list[InputDocument]) -> list[Outcome]:
        outcomes = []
        for item in batch:
            item = parse_line(item)
            outcomes.append(self.outcome(item, clean_item(self.cleaner, item, self.timeout, self.format)))
        return outcomes

    def outcome(self, item: InputDocument, result: CleanResult) -> Outcome:
        warning = self.cleaner.body_warning(result)
        off_language = (self.languages is not None and result.error is None
                        and result.language not in self.languages)
        dropped = self.drop_short and warning is not None and not off_language
        record = result.to_dict(explain=self.explain)
        left_out = "--language" if off_language else "--drop-empty" if dropped else None
        line = None if left_out else jsonl_line(record)
        rejected = jsonl_line({**record, "left_out": left_out}) if left_out and self.keep_rejected else None
        facts = DocumentFacts.of(result, item.size, short_body=warning is not None, dropped=dropped,
                                 off_language=off_language)
        return Outcome(item.id, line, result.error, warning, facts, item.where, item.url, rejected)

    def failed(self, item: InputDocument) -> Outcome:
        """The outcome of a document that failed before cleaning (a duplicate id)."""
        return self.outcome(item, clean_item(self.cleaner, item, None))

    def lost(self, item: InputDocument, reason: str) -> Outcome:
        document = parse_line(item)  # its record's id, not its FILE:LINE
        return self.outcome(document, lost_result(document, reason))


def as_input(page: Page, number: int) -> InputDocument:
    """A library item as a document: a page (str or bytes), a record like a JSONL line's, or a document."""
    if isinstance(page, InputDocument):
        return page
    if isinstance(page, str | bytes):
        return InputDocument(str(number), page)
    if isinstance(page, Mapping):
        return record_document(page, fallback=str(number), where=f"item {number}")
    return InputDocument(str(number), error=f"item {number} is {type(page).__name__}, not a page or a record")


def clean_many(
    cleaner: Pipeline, pages: Iterable[Page], *, jobs: int = 1, timeout: float | None = None, format: str | None = None
) -> Iterator[CleanResult]:
    """See `Pipeline.clean_many`."""
    documents = (as_input(page, number) for number, page in enumerate(pages))
    yield from ordered_map(ResultTask(cleaner, timeout, format), documents, jobs=jobs, lost=lost_result,
                           size=payload_size, deadline=hard_limit(timeout), isolate=timeout is not None)
