"""Turn CLI inputs (files, folders, JSONL, stdin) into a stream of documents, one at a time.

Nothing is read before it is needed and nothing is kept after it is yielded,
so memory stays flat however large the corpus. An input that cannot be read
still yields an `InputDocument` with `error` set: every input gives a record.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: File endings read as plain-text pages when a folder is given.
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class InputDocument:
    """One document to clean, or the reason it could not be read."""

    id: str
    payload: str | bytes | None = None
    url: str | None = None
    title: str | None = None
    error: str | None = None


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
        text = record.get("text")
        if text is None:
            yield InputDocument(ident, url=url, error=f"line {number} of {source} has no 'text' field")
        elif not isinstance(text, str):
            yield InputDocument(ident, url=url, error=f"'text' on line {number} of {source} is "
                                                      f"{type(text).__name__}, not a string")
        else:
            yield _document(ident, text, url, title)


def _document(ident: str, payload: str | bytes, url: str | None = None, title: str | None = None) -> InputDocument:
    """A document to clean, or an error record when the page holds nothing to clean."""
    if not payload:
        return InputDocument(ident, url=url, error="the page is empty (0 bytes); nothing to clean")
    text = payload if isinstance(payload, str) else payload.decode("utf-8", errors="ignore")
    if not text.strip() or not "".join(text.split()).strip("\u00a0\u200b\ufeff"):
        return InputDocument(ident, url=url, error="the page holds no text, only whitespace; nothing to clean")
    return InputDocument(ident, payload, url=url, title=title)


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


def _file_document(path: Path) -> Iterator[InputDocument]:
    try:
        with path.open("rb") as handle:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _jsonl_documents(handle, str(path))
                return
            payload = handle.read()
    except OSError as exc:
        yield InputDocument(str(path), error=f"cannot read {path}: {exc.strerror or exc}")
        return
    yield _document(str(path), payload)


def iter_documents(inputs: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[InputDocument]:
    """Every document of every input, in order: files as given, folders recursively (sorted)."""
    for item in inputs:
        if item == "-":
            yield from _stdin_documents(stdin or sys.stdin.buffer)
            continue
        path = Path(item)
        if path.is_dir():
            wanted = TEXT_SUFFIXES + JSONL_SUFFIXES
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
            if not files:
                yield InputDocument(str(path), error=f"folder {path} holds no {', '.join(wanted)} files")
            for file in files:
                yield from _file_document(file)
        elif path.exists():
            yield from _file_document(path)
        else:
            yield InputDocument(str(path), error=f"{path} does not exist")
