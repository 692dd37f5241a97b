"""The document the readers hand over: one page to clean, or why an input could not be one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
    source: str | None = None  # the input it came from, as given (a file, a folder, -): its group for learned rules

    @property
    def size(self) -> int:
        """Characters (or bytes) of the page, or of the unparsed line."""
        return len(self.line) if self.line is not None else len(self.payload) if self.payload is not None else 0


def display_path(path: Path | str) -> str:
    """A file name as text that can be written: bytes that are not UTF-8 shown as `\\xe9`."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")
