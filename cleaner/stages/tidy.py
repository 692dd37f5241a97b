"""Stage 8: the body as paragraphs: one per remaining line, no empty or punctuation-only lines.

A body left with nothing but labels (menu items, headlines, counters) is no article and leaves whole.

Units of one input line (see the segment stage) that stayed next to each other are joined back with the
text that glued them in the input; where a unit between them left, the paragraph breaks there, unless one
side would not read like prose as a paragraph of its own (see `segment.join_units`). A full stop left
doubled by a cut ("kali. .") goes, as normalise would have removed it.
"""

from __future__ import annotations

import dataclasses

import regex

from cleaner.document import Document, Line, Removal
from cleaner.ruleset.index import RuleIndex
from cleaner.stages.segment import Unit, join_units
from cleaner.steps import Step
from cleaner.text.characters import drop_doubled_stop
from cleaner.text.prose import reads_like_body, reads_like_label, reads_like_prose

_HAS_WORD = regex.compile(r"\w")


def tidy(doc: Document, splits: RuleIndex) -> Document:
    """Stage: `splits` are the page's split rules, which tell where the joined units would be cut again."""
    units: list[Unit] = []
    starts: list[tuple[int, int]] = []  # each unit's line number and column
    removed: list[Removal] = []
    for line in doc.lines:
        text = line.text.strip()
        if not text:
            continue
        if not _HAS_WORD.search(text):
            removed.append(Removal(line.number, text, Step.TIDY_NO_WORDS, line.column))
            continue
        units.append((line.number, line.part, line.glue, text, not line.edited and text == line.text, line.cut))
        starts.append((line.number, line.column))
    lines = [Line(starts[members[0]][0], drop_doubled_stop(text), starts[members[0]][1])
             for members, text in join_units(units, reads_like_prose, splits)]
    if only_labels(lines):
        removed.extend(Removal(line.number, line.text, Step.NO_ARTICLE_BODY, line.column) for line in lines)
        lines = []
    return dataclasses.replace(doc, lines=tuple(lines), removed=doc.removed + tuple(removed))




def only_labels(lines: list[Line]) -> bool:
    """What is left is a menu, headlines or counters, not an article: no paragraph reads like body text and
    every one reads like a label. Such a page has no body (and gets the `no article body found` warning)."""
    texts = [line.text for line in lines]
    return bool(texts) and not any(map(reads_like_body, texts)) and all(map(reads_like_label, texts))
