"""Turn CLI inputs (files, folders, JSONL, stdin) into a stream of documents, one at a time.

Nothing is read before it is needed and nothing is kept after it is yielded,
so memory stays flat however large the corpus. An input that cannot be read
still yields an `InputDocument` with `error` set: every input gives a record.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: File endings read as plain-text pages when a folder is given.
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
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
    skipped: str | None = None  # not a document at all (a WARC request record): counted, no output record


def _jsonl_documents(stream: BinaryIO, source: str) -> Iterator[InputDocument]:
    seen: set[str] = set()
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        fallback = f"{source}:{number}"
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield InputDocument(fallback, error=f"line {number} of {source} is not valid JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield InputDocument(fallback, error=f"line {number} of {source} is not a JSON object")
            continue
        ident = record.get("id")
        ident = fallback if ident is None else str(ident)
        url, title = record.get("url"), record.get("title")
        url = url if isinstance(url, str) else None
        title = title if isinstance(title, str) else None
        if ident in seen:
            yield InputDocument(ident, url=url, error=f"duplicate id {ident!r} (line {number} of {source}); "
                                                      "ids must be unique")
            continue
        seen.add(ident)
        text, format = record.get("text"), "auto"
        if text is None and record.get("html") is not None:
            text, format = record.get("html"), "html"
        if text is None:
            yield InputDocument(ident, url=url, error=f"line {number} of {source} has no 'text' or 'html' field")
        elif not isinstance(text, str):
            yield InputDocument(ident, url=url, error=f"'text' on line {number} of {source} is "
                                                      f"{type(text).__name__}, not a string")
        else:
            yield _document(ident, text, url, title, format)


def _document(
    ident: str, payload: str | bytes, url: str | None = None, title: str | None = None, format: str = "auto"
) -> InputDocument:
    """A document to clean, or an error record when the page holds nothing to clean."""
    if not payload:
        return InputDocument(ident, url=url, error="the page is empty (0 bytes); nothing to clean")
    text = payload if isinstance(payload, str) else payload.decode("utf-8", errors="ignore")
    if not "".join(text.split()).strip("\u200b\ufeff"):  # str.split() takes NBSP too; zero-width ones are not spaces
        return InputDocument(ident, url=url, error="the page holds no text, only whitespace; nothing to clean")
    return InputDocument(ident, payload, url=url, title=title, format=format)


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


def _stdin_documents(stdin: BinaryIO) -> Iterator[InputDocument]:
    head = stdin.peek(65536)[:65536] if hasattr(stdin, "peek") else b""
    if head and _looks_like_jsonl(head):
        yield from _jsonl_documents(stdin, "<stdin>")
    else:
        yield _document("<stdin>", stdin.read())


def _kind(path: Path) -> tuple[str, bool]:
    """What a file holds by its name ("text", "jsonl", "html", "warc") and whether it is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    last = suffixes[-2] if gzipped and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    for kind, endings in (("jsonl", JSONL_SUFFIXES), ("html", HTML_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if last in endings:
            return kind, gzipped
    return "text", gzipped


def _file_document(path: Path) -> Iterator[InputDocument]:
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
                yield from _jsonl_documents(handle, str(path))
                return
            payload = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        yield InputDocument(str(path), error=f"cannot read {path}: {reason}")
        return
    if len(payload) > MAX_PAGE_BYTES:
        yield InputDocument(str(path), error=f"{path} is larger than {MAX_PAGE_BYTES:,} bytes once unpacked; skipped")
        return
    yield _document(str(path), payload, format="html" if kind == "html" else "auto")


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
                    yield InputDocument(ident, url=url, skipped=f"not HTML ({content_type or 'no content type'})")
                    continue
                payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
                if len(payload) > MAX_PAGE_BYTES:
                    yield InputDocument(ident, url=url, error=f"record larger than {MAX_PAGE_BYTES:,} bytes; skipped")
                    continue
                yield _document(ident, payload, url, format="html")
        except Exception as exc:  # warcio raises several types for a damaged archive
            yield InputDocument(f"{path}:damaged", error=f"{path} is not a readable WARC file past this point: {exc}")


def _wanted(path: Path, endings: tuple[str, ...]) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(endings)


def iter_documents(inputs: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[InputDocument]:
    """Every document of every input, in order: files as given, folders recursively (sorted)."""
    for item in inputs:
        if item == "-":
            yield from _stdin_documents(stdin or sys.stdin.buffer)
            continue
        path = Path(item)
        if path.is_dir():
            wanted = TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES
            files = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p, wanted))
            if not files:
                yield InputDocument(str(path), error=f"folder {path} holds no {', '.join(wanted)} files")
            for file in files:
                yield from _file_document(file)
        elif path.exists():
            yield from _file_document(path)
        else:
            yield InputDocument(str(path), error=f"{path} does not exist")
