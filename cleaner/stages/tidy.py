"""Stage 7: the body as paragraphs: one per remaining line, no empty or punctuation-only lines."""

from __future__ import annotations

import dataclasses

import regex

from cleaner.document import Document, Line, Removal

_HAS_WORD = regex.compile(r"\w")


def tidy(doc: Document) -> Document:
    lines: list[Line] = []
    removed: list[Removal] = []
    for line in doc.lines:
        text = line.text.strip()
        if not text:
            continue
        if not _HAS_WORD.search(text):
            removed.append(Removal(line.number, text, "tidy/no-words"))
            continue
        lines.append(Line(line.number, text))
    return dataclasses.replace(doc, lines=tuple(lines), removed=doc.removed + tuple(removed))
