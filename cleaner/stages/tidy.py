"""Stage 8: the body as paragraphs: one per remaining line, no empty or punctuation-only lines.

Units of one input line (see the segment stage) that stayed next to each other are joined back with the
text that glued them in the input; where a unit between them left, the paragraph breaks there, unless one
side would not read like prose as a paragraph of its own (a short sentence, the words after the last full
stop): it was kept as part of its line, and standing alone it would leave when the output is cleaned again.
"""

from __future__ import annotations

import dataclasses

import regex

from cleaner.document import Document, Line, Removal
from cleaner.stages.strip import reads_like_prose

_HAS_WORD = regex.compile(r"\w")


def tidy(doc: Document) -> Document:
    lines: list[Line] = []
    removed: list[Removal] = []
    previous: Line | None = None  # the last unit kept, while the paragraph it belongs to is open
    for line in doc.lines:
        text = line.text.strip()
        if not text:
            previous = None
            continue
        if not _HAS_WORD.search(text):
            removed.append(Removal(line.number, text, "tidy/no-words", line.column))
            previous = None
            continue
        same_line = previous is not None and line.glue is not None and line.number == previous.number
        if same_line and previous is not None and line.glue is not None and line.part == previous.part + 1:
            lines[-1] = Line(lines[-1].number, lines[-1].text + line.glue + text, lines[-1].column)
        elif same_line and not (reads_like_prose(lines[-1].text) and reads_like_prose(text)):
            lines[-1] = Line(lines[-1].number, lines[-1].text + " " + text, lines[-1].column)
        else:
            lines.append(Line(line.number, text, line.column))
        previous = line
    return dataclasses.replace(doc, lines=tuple(lines), removed=doc.removed + tuple(removed))
