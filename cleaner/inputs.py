"""Turn CLI inputs (files, folders, JSONL, stdin) into a stream of documents, one at a time.

Nothing is read before it is needed and nothing is kept after it is yielded,
so memory stays flat however large the corpus. An input that cannot be read
still yields an `InputDocument` with `error` set: every input gives a record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import json
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

#: File endings read as plain-text pages when a folder is given.
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".arc")
#: Largest page read from a gzipped file: a gzip bomb must not take the machine's memory.
MAX_PAGE_BYTES = 200_000_000


@dataclass(frozen=True)
class InputDocument:
    """One document to clean, or the reason it could not be read."""

    id: str
    payload: str | bytes | None = None
    url: str | None = None
    title: str | None = None
    error: str | None = None
    format: str = "auto"  # "text", "html" or "auto" (sniffed from the first bytes)
    skipped: str | None = None  # not a document (a WARC request record, a folder's .png): counted, no record
    line: bytes | None = None  # a JSONL line not parsed yet (see `parse_line`); `id` is then its FILE:LINE
    where: str | None = None  # "line 3 of pages.jsonl", for a document from a JSONL line

    @property
    def size(self) -> int:
        """Characters (or bytes) of the page, or of the unparsed line."""
        return len(self.line) if self.line is not None else len(self.payload) if self.payload is not None else 0


def parse_line(document: InputDocument) -> InputDocument:
    """The document of an unparsed JSONL line (what `iter_documents(parse_lines=False)` leaves to the worker)."""
    if document.line is None or document.where is None:
        return document
    try:
        value = json.loads(document.line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return InputDocument(document.id, error=f"{document.where} is not valid JSON: {exc}")
    return _value_document(value, document.id, document.where)


def _value_document(value: Any, fallback: str, where: str) -> InputDocument:
    """A parsed JSON value (a JSONL line, an item of a `.json` array) as a document, or its error record."""
    if not isinstance(value, dict):
        return InputDocument(fallback, error=f"{where} is not a JSON object")
    return dataclasses.replace(record_document(value, fallback=fallback, where=where), where=where)


class UniqueIds:
    """Ids must be unique within a JSONL file: the second record with an id becomes an error record."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str]] = set()

    def check(self, document: InputDocument) -> InputDocument:
        """`document`, or its duplicate-id error; documents of a line that did not parse into a record pass."""
        if document.where is None:
            return document
        key = (document.where.partition(" of ")[2], document.id)
        if key in self._seen:
            return InputDocument(document.id, url=document.url,
                                 error=f"duplicate id {document.id!r} ({document.where}); ids must be unique")
        self._seen.add(key)
        return document


def record_document(record: Mapping[str, Any], fallback: str, where: str) -> InputDocument:
    """A JSON record as a document: `html` when it is a non-empty string, else `text`; `id`, `url`, `title`."""
    ident = record.get("id")
    ident = fallback if ident is None else str(ident)
    url, title = record.get("url"), record.get("title")
    url = url if isinstance(url, str) else None
    title = title if isinstance(title, str) else None
    html = record.get("html")
    if isinstance(html, str) and html.strip():
        return InputDocument(ident, html, url=url, title=title, format="html")
    text = record.get("text")
    if text is None and html is None:
        return InputDocument(ident, url=url, error=f"{where} has no 'text' or 'html' field")
    if text is None or not isinstance(text, str):
        field, value = ("text", text) if text is not None else ("html", html)
        return InputDocument(ident, url=url, error=f"'{field}' in {where} is {type(value).__name__}, not a string")
    return InputDocument(ident, text, url=url, title=title)


def _jsonl_documents(stream: BinaryIO, source: str, parse: bool = True) -> Iterator[InputDocument]:
    """A document per non-blank line; unparsed with `parse=False` (the caller parses and checks ids)."""
    unique = UniqueIds()
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            line = InputDocument(f"{source}:{number}", line=raw, where=f"line {number} of {source}")
            yield unique.check(parse_line(line)) if parse else line


def _json_documents(payload: bytes, source: str) -> Iterator[InputDocument]:
    """A `.json` file: an array of records, or one record; anything else is one error record."""
    try:
        value = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield InputDocument(source, error=f"{source} is not valid JSON: {exc}")
        return
    if isinstance(value, dict | list):
        unique = UniqueIds()
        for number, item in enumerate([value] if isinstance(value, dict) else value, start=1):
            yield unique.check(_value_document(item, f"{source}:{number}", f"record {number} of {source}"))
    else:
        yield InputDocument(source, error=f"{source} holds a JSON {type(value).__name__}, not a record or an "
                                          "array of records")


def _looks_like_jsonl(head: bytes) -> bool:
    first = head.lstrip()[:1]
    if first != b"{":
        return False
    line = head.lstrip().split(b"\n", 1)[0]
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(record, dict) and "text" in record


def _stdin_documents(stdin: BinaryIO, parse: bool) -> Iterator[InputDocument]:
    head = stdin.peek(65536)[:65536] if hasattr(stdin, "peek") else b""
    if head and _looks_like_jsonl(head):
        yield from _jsonl_documents(stdin, "<stdin>", parse)
    else:
        yield InputDocument("<stdin>", stdin.read())


def _kind(path: Path) -> tuple[str, bool]:
    """What a file holds by its name ("text", "jsonl", "json", "html", "warc") and whether it is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    last = suffixes[-2] if gzipped and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    kinds = (("jsonl", JSONL_SUFFIXES), ("json", JSON_SUFFIXES), ("html", HTML_SUFFIXES), ("warc", WARC_SUFFIXES))
    for kind, endings in kinds:
        if last in endings:
            return kind, gzipped
    return "text", gzipped


def _file_document(path: Path, parse: bool) -> Iterator[InputDocument]:
    kind, gzipped = _kind(path)
    try:
        if kind == "warc":
            yield from _warc_documents(path)
            return
        with path.open("rb") as raw_handle, contextlib.ExitStack() as stack:
            handle: BinaryIO = raw_handle
            if gzipped:
                handle = stack.enter_context(gzip.open(raw_handle, "rb"))  # type: ignore[assignment]
            if kind == "jsonl":
                yield from _jsonl_documents(handle, str(path), parse)
                return
            payload = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        yield InputDocument(str(path), error=f"cannot read {path}: {reason}")
        return
    if len(payload) > MAX_PAGE_BYTES:
        yield InputDocument(str(path), error=f"{path} is larger than {MAX_PAGE_BYTES:,} bytes once unpacked; skipped")
        return
    if kind == "json":
        yield from _json_documents(payload, str(path))
        return
    yield InputDocument(str(path), payload, format="html" if kind == "html" else "auto")


def _warc_documents(path: Path) -> Iterator[InputDocument]:
    """HTML responses of a WARC file, with the URL of each record; other records are skipped (and counted)."""
    try:
        from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
    except ImportError:
        yield InputDocument(str(path), error="reading WARC files needs warcio: pip install 'cleaner[warc]'")
        return
    with path.open("rb") as handle:
        try:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                url = record.rec_headers.get_header("WARC-Target-URI")
                ident = record.rec_headers.get_header("WARC-Record-ID") or f"{path}:{number}"
                if record.rec_type != "response":
                    yield InputDocument(ident, url=url, skipped=f"WARC {record.rec_type} record")
                    continue
                content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in content_type.lower():
                    yield InputDocument(ident, url=url, skipped="WARC response that is not HTML")
                    continue
                payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
                if len(payload) > MAX_PAGE_BYTES:
                    yield InputDocument(ident, url=url, error=f"record larger than {MAX_PAGE_BYTES:,} bytes; skipped")
                    continue
                yield InputDocument(ident, payload, url, format="html")
        except Exception as exc:  # warcio raises several types for a damaged archive
            yield InputDocument(f"{path}:damaged", error=f"{path} is not a readable WARC file past this point: {exc}")


#: What a folder run reads; other files are skipped and counted by extension in the summary.
FOLDER_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES


def _wanted(path: Path, endings: tuple[str, ...]) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(endings)


def iter_documents(
    inputs: Iterable[str], stdin: BinaryIO | None = None, *, parse_lines: bool = True
) -> Iterator[InputDocument]:
    """Every document of every input, in order: files as given, folders recursively (sorted).

    With `parse_lines=False` JSONL lines come unparsed (`InputDocument.line`): a worker parses them with
    `parse_line`, and the reader checks unique ids on the results with `UniqueIds`, so the process that
    reads the input does not spend its time decoding JSON the workers could decode.
    """
    for item in inputs:
        if item == "-":
            yield from _stdin_documents(stdin or sys.stdin.buffer, parse_lines)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            if not any(_wanted(file, FOLDER_SUFFIXES) for file in files):
                yield InputDocument(str(path), error=f"folder {path} holds no {', '.join(FOLDER_SUFFIXES)} files")
            for file in files:
                if _wanted(file, FOLDER_SUFFIXES):
                    yield from _file_document(file, parse_lines)
                else:
                    yield InputDocument(str(file), skipped=f"{file.suffix.lower() or 'no extension'} file")
        elif path.exists():
            yield from _file_document(path, parse_lines)
        else:
            yield InputDocument(str(path), error=f"{path} does not exist")


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many documents `iter_documents` will yield, when that is cheap to know (for a progress bar).

    A page file is one; a plain JSONL file is counted by its non-blank lines (a byte scan, no parsing);
    standard input, WARC, gzipped JSONL and `.json` files make the total unknown (None).
    """
    total = 0
    for item in inputs:
        if item == "-":
            return None
        path = Path(item)
        files = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p, FOLDER_SUFFIXES)) \
            if path.is_dir() else [path]
        for file in files:
            kind, gzipped = _kind(file)
            if kind in ("warc", "json") or (kind == "jsonl" and gzipped):
                return None
            if kind != "jsonl":
                total += 1
                continue
            try:
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if not line.isspace())
            except OSError:
                total += 1  # it yields one error record
    return total
