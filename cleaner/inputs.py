"""Turn CLI inputs (files, folders, JSONL, stdin) into a stream of documents, one at a time.

Nothing is read before it is needed and nothing is kept after it is yielded,
so memory stays flat however large the corpus. An input that cannot be read
still yields an `InputDocument` with `error` set: every input gives a record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import itertools
import json
import os
import sys
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.stages.decode import without_surrogates

#: File endings read as plain-text pages when a folder is given.
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".arc")
PARQUET_SUFFIXES = (".parquet",)
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
    value, problem = _loads(document.line)
    if problem is not None:
        return InputDocument(document.id, error=f"{document.where} is not valid JSON: {problem}")
    return _value_document(value, document.id, document.where)


def _loads(raw: bytes) -> tuple[Any, str | None]:
    """The JSON value of `raw`, or why it has none: bad JSON or UTF-8, a 5,000-digit number, deep nesting."""
    try:
        return json.loads(raw), None
    except RecursionError:
        return None, "nested too deeply"
    except ValueError as exc:
        return None, str(exc)


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
    ident = fallback if ident is None else without_surrogates(str(ident))
    url, title = record.get("url"), record.get("title")
    url = without_surrogates(url) if isinstance(url, str) else None
    title = without_surrogates(title) if isinstance(title, str) else None
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


def display_path(path: Path | str) -> str:
    """A file name as text that can be written: bytes that are not UTF-8 shown as `\\xe9`."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _bounded_lines(stream: BinaryIO, first: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) per line; None for a line over `MAX_PAGE_BYTES`, which is read past, never held."""
    for number in itertools.count(first):
        line = stream.readline(MAX_PAGE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_PAGE_BYTES and not line.endswith(b"\n"):
            while True:
                chunk = stream.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def _jsonl_documents(
    stream: BinaryIO, source: str, parse: bool = True, first: bytes | None = None
) -> Iterator[InputDocument]:
    """A document per non-blank line; unparsed with `parse=False` (the caller parses and checks ids).

    `first` is a first line already read (standard input is recognised by it).
    """
    unique = UniqueIds()
    lines = _bounded_lines(stream, 2) if first is not None else _bounded_lines(stream)
    for number, raw in itertools.chain([(1, first)] if first is not None else [], lines):
        where = f"line {number} of {source}"
        if raw is None:
            yield InputDocument(f"{source}:{number}", error=f"{where} is larger than {MAX_PAGE_BYTES:,} bytes; "
                                                             "skipped", where=None)
        elif raw.strip():
            line = InputDocument(f"{source}:{number}", line=raw, where=where)
            yield unique.check(parse_line(line)) if parse else line


def _json_documents(payload: bytes, source: str) -> Iterator[InputDocument]:
    """A `.json` file: an array of records, or one record; anything else is one error record."""
    value, problem = _loads(payload)
    if problem is not None:
        yield InputDocument(source, error=f"{source} is not valid JSON: {problem}")
        return
    if isinstance(value, dict | list):
        unique = UniqueIds()
        for number, item in enumerate([value] if isinstance(value, dict) else value, start=1):
            yield unique.check(_value_document(item, f"{source}:{number}", f"record {number} of {source}"))
    else:
        yield InputDocument(source, error=f"{source} holds a JSON {type(value).__name__}, not a record or an "
                                          "array of records")


#: Rows read from a Parquet file at a time: memory stays flat however large the file.
PARQUET_BATCH_ROWS = 256


def _parquet_documents(path: Path, source: str) -> Iterator[InputDocument]:
    """A Parquet file's rows as records (its `text` or `html` column, `id`, `url`, `title`), read in batches."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield InputDocument(source, error=f"reading {source} needs pyarrow: pip install 'cleaner[parquet]'")
        return
    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow's errors for a damaged or foreign file have no common base
        yield InputDocument(source, error=f"{source} is not a readable Parquet file: {exc}")
        return
    wanted = [c for c in ("id", "url", "title", "text", "html") if c in handle.schema_arrow.names]
    unique = UniqueIds()
    number = 0
    for batch in handle.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
        for row in batch.to_pylist():
            number += 1
            yield unique.check(_value_document(row, f"{source}:{number}", f"row {number} of {source}"))


def _is_record_line(line: bytes) -> bool:
    """A first line that parses as a JSON object with `text` or `html`: standard input is then JSONL."""
    if not line.lstrip().startswith(b"{"):
        return False
    record, _problem = _loads(line)
    return isinstance(record, dict) and ("text" in record or "html" in record)


def _stdin_documents(stdin: BinaryIO, parse: bool, jsonl: bool) -> Iterator[InputDocument]:
    """Standard input: JSONL when its first line is a record (read whole, however long), else one page."""
    if jsonl:
        yield from _jsonl_documents(stdin, "<stdin>", parse)
        return
    first = stdin.readline(MAX_PAGE_BYTES + 1)
    if len(first) <= MAX_PAGE_BYTES and _is_record_line(first):
        yield from _jsonl_documents(stdin, "<stdin>", parse, first=first)
        return
    payload = first + stdin.read(MAX_PAGE_BYTES + 1 - len(first))
    if len(payload) > MAX_PAGE_BYTES:
        while stdin.read(1 << 20):
            pass
        yield InputDocument("<stdin>", error=f"standard input is larger than {MAX_PAGE_BYTES:,} bytes; skipped")
        return
    yield InputDocument("<stdin>", payload)


def _kind(path: Path) -> tuple[str, bool]:
    """What a file holds by its name ("text", "jsonl", "json", "html", "warc") and whether it is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    last = suffixes[-2] if gzipped and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    kinds = (("jsonl", JSONL_SUFFIXES), ("json", JSON_SUFFIXES), ("html", HTML_SUFFIXES), ("warc", WARC_SUFFIXES),
             ("parquet", PARQUET_SUFFIXES))
    for kind, endings in kinds:
        if last in endings:
            return kind, gzipped
    return "text", gzipped


def _file_document(path: Path, parse: bool, jsonl: bool = False) -> Iterator[InputDocument]:
    kind, gzipped = _kind(path)
    kind = "jsonl" if jsonl else kind
    name = display_path(path)
    try:
        if kind == "warc":
            yield from _warc_documents(path)
            return
        if kind == "parquet":
            yield from _parquet_documents(path, name)
            return
        with path.open("rb") as raw_handle, contextlib.ExitStack() as stack:
            handle: BinaryIO = raw_handle
            if gzipped:
                handle = stack.enter_context(gzip.open(raw_handle, "rb"))  # type: ignore[assignment]
            if kind == "jsonl":
                yield from _jsonl_documents(handle, name, parse)
                return
            payload = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        yield InputDocument(name, error=f"cannot read {name}: {reason}")
        return
    if len(payload) > MAX_PAGE_BYTES:
        yield InputDocument(name, error=f"{name} is larger than {MAX_PAGE_BYTES:,} bytes once unpacked; skipped")
        return
    if kind == "json":
        yield from _json_documents(payload, name)
        return
    yield InputDocument(name, payload, format="html" if kind == "html" else "auto")


def _warc_documents(path: Path) -> Iterator[InputDocument]:
    """HTML responses of a WARC file, with the URL of each record; other records are skipped (and counted).

    A record whose Content-Length is wrong runs into the next one (or stops short of its end); warcio
    notices only when it reads the record after it. Each record is therefore held until the next one has
    been read: a damaged one becomes an error record, and reading starts again at the next `WARC/` header
    line after its start, so the records it swallowed are read too. A gzipped WARC cannot be re-entered
    mid-member: past damage in one, the rest is one error record.
    """
    name = display_path(path)
    try:
        from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
    except ImportError:
        yield InputDocument(name, error="reading WARC files needs warcio: pip install 'cleaner[warc]'")
        return
    with path.open("rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        start: int | None = 0
        number = 0
        while start is not None:
            handle.seek(start)
            records = ArchiveIterator(handle)
            records.INC_RECORD = ""  # warcio would print its own warning on standard error
            held: tuple[int, InputDocument] | None = None
            resume_after: int | None = None
            try:
                for record in records:
                    if held is not None and records.err_count:  # the held record's length was wrong
                        resume_after = held[0]
                        break
                    if held is not None:
                        yield held[1]
                    number += 1
                    document = _warc_document(record, name, number)  # read before the offset: that reads to its end
                    held = (records.get_record_offset(), document)  # from the start of the file
            except Exception as exc:  # warcio raises several types for a damaged archive
                if held is None or gzipped:
                    where = held[0] if held else start
                    yield InputDocument(f"{name}:damaged", error=f"{name} is not a readable WARC file past byte "
                                                                 f"{where:,}: {exc}")
                    return
                resume_after = held[0]
            if resume_after is None and held is not None and not gzipped \
                    and _next_warc_header(handle, held[0] + 1) is not None:
                resume_after = held[0]  # the last record ran to the end of the file over others
            if resume_after is None:
                if held is not None:
                    yield held[1]
                return
            assert held is not None
            yield InputDocument(held[1].id, url=held[1].url, error=f"WARC record at byte {resume_after:,} of "
                                f"{name} is damaged (its Content-Length does not match its content); skipped")
            start = None if gzipped else _next_warc_header(handle, resume_after + 1)


def _warc_document(record: Any, name: str, number: int) -> InputDocument:
    """One WARC record as a document, or as a skipped item when it is not an HTML response."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    ident = record.rec_headers.get_header("WARC-Record-ID") or f"{name}:{number}"
    if record.rec_type != "response":
        return InputDocument(ident, url=url, skipped=f"WARC {record.rec_type} record")
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
    if "html" not in content_type.lower():
        return InputDocument(ident, url=url, skipped="WARC response that is not HTML")
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(payload) > MAX_PAGE_BYTES:
        return InputDocument(ident, url=url, error=f"record larger than {MAX_PAGE_BYTES:,} bytes; skipped")
    return InputDocument(ident, payload, url, format="html")


def _next_warc_header(handle: BinaryIO, after: int) -> int | None:
    """The offset of the next line starting `WARC/1.` at or after `after`, read in chunks (None: none)."""
    position, carry = after, b""
    handle.seek(after)
    while True:
        chunk = handle.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(b"\nWARC/1.")
        if found != -1:
            return position - len(carry) + found + 1
        carry = data[-8:]
        position += len(chunk)


#: What a folder run reads; other files are skipped and counted by extension in the summary.
FOLDER_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES + PARQUET_SUFFIXES


def _wanted(path: Path, endings: tuple[str, ...]) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(endings)


def page_files(folder: Path) -> list[Path]:
    """The files a folder input reads (by their names), sorted; the others are counted and skipped."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and _wanted(p, FOLDER_SUFFIXES))


def iter_documents(
    inputs: Iterable[str],
    stdin: BinaryIO | None = None,
    *,
    parse_lines: bool = True,
    jsonl: bool = False,
    exclude: Collection[Path] = frozenset(),
) -> Iterator[InputDocument]:
    """Every document of every input, in order: files as given, folders recursively (sorted).

    With `parse_lines=False` JSONL lines come unparsed (`InputDocument.line`): a worker parses them with
    `parse_line`, and the reader checks unique ids on the results with `UniqueIds`, so the process that
    reads the input does not spend its time decoding JSON the workers could decode.
    """
    for item in inputs:
        if item == "-":
            yield from _stdin_documents(stdin or sys.stdin.buffer, parse_lines, jsonl)
            continue
        path = Path(item)
        name = display_path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            excluded_names = {p.name for p in exclude}  # resolving every file of a large folder costs stat calls
            if not any(_wanted(file, FOLDER_SUFFIXES) for file in files):
                yield InputDocument(name, error=f"folder {name} holds no {', '.join(FOLDER_SUFFIXES)} files")
            for file in files:
                if file.name in excluded_names and Path(os.path.realpath(file)) in exclude:
                    yield InputDocument(display_path(file), skipped="the run's own output")
                elif _wanted(file, FOLDER_SUFFIXES):
                    yield from _file_document(file, parse_lines, jsonl)
                else:
                    kind = display_path(file.suffix.lower()) or "no extension"
                    yield InputDocument(display_path(file), skipped=f"{kind} file")
        elif path.exists():
            yield from _file_document(path, parse_lines, jsonl)
        else:
            yield InputDocument(name, error=f"{name} does not exist")


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many documents `iter_documents` will yield, when that is cheap to know (for a progress bar).

    A page file is one; a plain JSONL file is counted by its non-blank lines (a byte scan, no parsing);
    standard input, WARC, Parquet, gzipped JSONL and `.json` files make the total unknown (None).
    """
    total = 0
    for item in inputs:
        if item == "-":
            return None
        path = Path(item)
        files = page_files(path) if path.is_dir() else [path]
        for file in files:
            kind, gzipped = _kind(file)
            if kind in ("warc", "json", "parquet") or (kind == "jsonl" and gzipped):
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
