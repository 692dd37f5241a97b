"""A JSON record (a JSONL line, an item of a `.json` array, a Parquet row) as a document: its `html` or `text`,
`id`, `url` and `title`; a line parsed only where it is cleaned (in the worker); ids unique within a file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cleaner.run.input_document import InputDocument
from cleaner.stages.decode import without_surrogates


def parse_line(document: InputDocument) -> InputDocument:
    """The document of an unparsed JSONL line (what `iter_documents(parse_lines=False)` leaves to the worker)."""
    if document.line is None or document.where is None:
        return document
    value, problem = loads(document.line)
    if problem is not None:
        return InputDocument(document.id, error=f"{document.where} is not valid JSON: {problem}",
                             source=document.source)
    return dataclasses.replace(value_document(value, document.id, document.where), source=document.source)


def loads(raw: bytes) -> tuple[Any, str | None]:
    """The JSON value of `raw`, or why it has none: bad JSON or UTF-8, a 5,000-digit number, deep nesting."""
    try:
        return json.loads(raw), None
    except RecursionError:
        return None, "nested too deeply"
    except ValueError as exc:
        return None, str(exc)


def value_document(value: Any, fallback: str, where: str) -> InputDocument:
    """A parsed JSON value (a JSONL line, an item of a `.json` array) as a document, or its error record."""
    if not isinstance(value, dict):
        return InputDocument(fallback, error=f"{where} is not a JSON object")
    return dataclasses.replace(record_document(value, fallback=fallback, where=where), where=where)


class UniqueIds:
    """Ids must be unique within a JSONL file: the second record with an id becomes an error record."""

    def __init__(self) -> None:
        # a 128-bit digest per (file, id), not the strings: a run of millions of records with long ids holds
        # about 80 bytes a record here (a chance collision, one in 10^25 at a million ids, is not a concern)
        self._seen: set[int] = set()

    def check(self, document: InputDocument) -> InputDocument:
        """`document`, or its duplicate-id error; documents of a line that did not parse into a record pass."""
        if document.where is None:
            return document
        source = document.where.partition(" of ")[2]
        digest = hashlib.blake2b(digest_size=16)
        digest.update(source.encode("utf-8", "surrogatepass") + b"\0" + document.id.encode("utf-8", "surrogatepass"))
        key = int.from_bytes(digest.digest(), "little")
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
