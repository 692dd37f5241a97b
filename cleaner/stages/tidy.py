"""Stage 8: the body as paragraphs: one per remaining line, no empty or punctuation-only lines.

Units of one input line (see the segment stage) that stayed next to each other are joined back with the
text that glued them in the input; where a unit between them left, the paragraph breaks there, unless one
side would not read like prose as a paragraph of its own (see `segment.join_units`). A full stop left
doubled by a cut ("kali. .") goes, as normalise would have removed it.
"""

from __future__ import annotations

import dataclasses

import regex

from cleaner.document import Document, Line, Removal
from cleaner.ruleset.model import RuleIndex
from cleaner.stages.normalise import drop_doubled_stop
from cleaner.stages.segment import join_units
from cleaner.stages.strip import reads_like_prose

_HAS_WORD = regex.compile(r"\w")


def tidy(doc: Document, splits: RuleIndex) -> Document:
    """Stage: `splits` are the page's split rules, which tell where the joined units would be cut again."""
    kept: list[Line] = []
    as_cut: list[bool] = []
    removed: list[Removal] = []
    for line in doc.lines:
        text = line.text.strip()
        if not text:
            continue
        if not _HAS_WORD.search(text):
            removed.append(Removal(line.number, text, "tidy/no-words", line.column))
            continue
        kept.append(line if text == line.text else Line(line.number, text, line.column, line.part, line.glue,
                                                        line.cut))
        as_cut.append(not line.edited and text == line.text)
    units = [(line.number, line.part, line.glue, line.text, cut) for line, cut in zip(kept, as_cut, strict=True)]
    lines = [Line(kept[members[0]].number, drop_doubled_stop(text), kept[members[0]].column)
             for members, text in join_units(units, reads_like_prose, splits)]
    return dataclasses.replace(doc, lines=tuple(lines), removed=doc.removed + tuple(removed))
