"""Stage 3: Unicode and whitespace normalisation, then split into numbered lines.

NFC; NBSP and other odd spaces become plain spaces; zero-width, control and bidi
override characters go, and floods of combining marks are capped; lines are
stripped and inner runs of spaces collapsed; runs of blank lines become one; a
line of stray punctuation (a lone "." that a scraper split off) joins the line
before it, and a duplicated full stop (`kali. .`) goes; a hard-wrapped paragraph
(lines of 40-100 characters cut mid-sentence, the next starting in lower case) is joined.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import regex

from cleaner.document import Document, Line, Removal
from cleaner.steps import Step
from cleaner.text.characters import INVISIBLE, ODD_SPACE, drop_doubled_stop

# The two character classes every page is scanned for are the standard library's: for a plain class `re`
# scans text several times faster than `regex` (whose Unicode properties the patterns below need).

#: Combining marks on one character beyond this many go: no orthography stacks more (Vietnamese and
#: Tibetan reach three or four), and a flood of them ("Zalgo" text) buries the lines around it.
MAX_COMBINING_MARKS = 8
_MARK_FLOOD = regex.compile(rf"(\p{{M}}{{{MAX_COMBINING_MARKS}}})\p{{M}}+")
_SPACE_RUN = regex.compile(r" {2,}")
_HAS_WORD = regex.compile(r"\w")
#: A line that holds nothing but closing punctuation.
_STRAY_CHARS = ".,;:!?\u2026)]\"'\u201d\u2019"
_STRAY = regex.compile(f"[{regex.escape(_STRAY_CHARS)}]+")


#: Paragraphs a scraper joined with commas (a CSV export of a list of `<p>` texts): "... Senin.,Gubernur ...".
#: Prose puts a space after a comma; a comma right between a sentence end (or a line's start) and a capitalised
#: word is the joint.
_COMMA_JOINT = regex.compile(r"(?m)(?:(?<=[.!?\"\u201d])|^),(?=[\"\u201c]?\p{Lu}\p{Ll})")


def normalise_text(text: str) -> str:
    """Character-level normalisation of a whole text (no line handling)."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if ODD_SPACE.search(text):
            text = ODD_SPACE.sub(" ", text)
        if _MARK_FLOOD.search(text):
            text = _MARK_FLOOD.sub(r"\1", text)
    elif "\t" in text:
        text = text.replace("\t", " ")
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", text)
    if (".," in text or '",' in text or "\u201d," in text or "\n," in text or text[:1] == ",") \
            and _COMMA_JOINT.search(text):  # a space (none at a line's start): the lines stay the input's
        text = _COMMA_JOINT.sub(lambda m: "" if m.start() == 0 or text[m.start() - 1] == "\n" else " ", text)
    return text


#: A hard-wrapped paragraph: a line of wrapping width that stops mid-sentence, then a lower-case word
#: that starts a run of words (a lone "kumparanNEWS" under a headline is a label, not a continuation).
_WRAP_WIDTH = range(40, 101)
_CONTINUES = regex.compile(r"\p{Ll}\S*(?:\s+\S+){2}|\p{Ll}.*[.!?\u2026\"\u201d]$")
_ENDS_CLAUSE = regex.compile(r"[.!?:;\u2026\"'\u201d\u2019)\]]$")


def _is_wrapped(previous: str, line: str) -> bool:
    return (
        len(previous) in _WRAP_WIDTH
        and _CONTINUES.match(line) is not None
        and not _ENDS_CLAUSE.search(previous)
    )


def split_lines(text: str) -> tuple[list[Line], list[Removal]]:
    """Numbered, stripped lines with single blank separators; stray punctuation joined up."""
    lines: list[Line] = []
    removed: list[Removal] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if "  " in stripped:
            stripped = _SPACE_RUN.sub(" ", stripped)
        if not stripped:
            if lines and lines[-1].text:
                lines.append(Line(number, ""))
            continue
        if stripped[0] in _STRAY_CHARS and _STRAY.fullmatch(stripped):
            previous = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].text), None)
            if previous is None:
                removed.append(Removal(number, stripped, Step.STRAY_PUNCTUATION))
                continue
            del lines[previous + 1:]
            before = lines[previous]
            joined = before.text if before.text.endswith(stripped) else before.text + stripped
            lines[previous] = Line(before.number, joined)
            continue
        if not stripped[0].isalnum() and not _HAS_WORD.search(stripped):
            removed.append(Removal(number, stripped, Step.NORMALISE_NO_WORDS))  # "-----", "/", "•"
            continue
        if stripped.endswith(" ."):
            stripped = drop_doubled_stop(stripped)
        if lines and len(lines[-1].text) in _WRAP_WIDTH and _is_wrapped(lines[-1].text, stripped):
            lines[-1] = Line(lines[-1].number, lines[-1].text + " " + stripped)
            continue
        lines.append(Line(number, stripped))
    while lines and not lines[-1].text:
        lines.pop()
    return lines, removed


def normalise(doc: Document) -> Document:
    lines, removed = split_lines(normalise_text(doc.text))
    return dataclasses.replace(doc, lines=tuple(lines), removed=doc.removed + tuple(removed))
