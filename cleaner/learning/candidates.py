"""What one cleaned document offers to learn from: the lines the bundled rules left in its body.

Only what survived the bundled rules is read, so what is learned is what they miss, and it is read as the
learned rules will meet it (the segment stage's units: one-line texts arrive cut into sentences and glued
labels). Each line is offered whole; a label and its varying value ("Pewarta: Name") as a frame; the first
line's head and the last line's tail up to a separator as a prefix and a suffix (a header or footer glued to
a one-line text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from cleaner.text.prose import reads_like_prose

#: Lines longer than this are never learned whole: a paragraph, not a widget.
LONGEST_LINE = 600
#: Where a line sits in its document's body: above the first prose line; among the closing lines (no more
#: than `CLOSING_PROSE` prose lines below it: trailing promos and notices come in twos and threes); between.
HEAD, MIDDLE, TAIL = 0, 1, 2
CLOSING_PROSE = 2

#: "Label: value" or "Label | value": a label of one to six words, then its value.
_FRAME = regex.compile(r"(?P<label>\p{L}[\p{L}\p{N}.&'\u2019-]*(?: [\p{L}\p{N}.&'\u2019-]+){0,5}) ?(?P<sep>[:|]) ?"
                       r"(?P<value>\S.{0,300})")
#: Where a header glued to the text ends, or a footer glued to it begins: a dash, bar, guillemet, slash,
#: bullet or arrow between spaces, or a colon.
_SEPARATOR = regex.compile(r" [-\u2013\u2014|\u00bb\u203a>/\u2022\u00b7\u2192] |: ")
#: How far into the first line a prefix, and from the end of the last line a suffix, may reach.
_EDGE_CHARS = 120
#: A note in brackets closing the last line: "(ant/ara)", "(Reuters)".
_BRACKETED_TAIL = regex.compile(r" ?\([^()]{1,40}\)$")
_HAS_LETTER = regex.compile(r"\p{L}")
#: A word of a glued widget's or label's capitals ("KANAL", "TV", "\u25b8", "Kita:" as the last): no lower-case
#: letter, or a label's colon.
_CAPITALS = regex.compile(r"[^\p{Ll}\s]+")
_LABEL_END = regex.compile(r"\p{Lu}[^\s,;.:|]*[:|]")
_CAPITALISED = regex.compile(r"\p{Lu}[^\s,;.:|]*")
#: Words an opening may have.
OPENING_WORDS = 8


@dataclass(frozen=True)
class DocumentCandidates:
    """One document's offer: its group, its id, and its distinct candidates of each kind."""

    group: str
    id: str
    site: str | None
    lines: tuple[tuple[str, int], ...]  # (text, HEAD/MIDDLE/TAIL) of each distinct line, where it first sits
    frames: tuple[tuple[str, str], ...]  # ("Label:", value) of each distinct label
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    openings: tuple[tuple[str, str], ...] = ()  # (opening words, the word after them) of each distinct opening


def document_candidates(group: str, id: str, site: str | None, texts: Sequence[str]) -> DocumentCandidates:
    """The candidates of a body given as its lines (units) in order."""
    prose = [reads_like_prose(text) for text in texts]
    total = below = sum(prose)  # below: the prose lines below the line at hand
    lines: dict[str, int] = {}
    frames: dict[str, str] = {}
    starts: dict[str, str] = {}
    for i, text in enumerate(texts):
        for opening, after in openings(text):
            starts.setdefault(opening, after)
        below -= prose[i]
        if len(text) > LONGEST_LINE or not _HAS_LETTER.search(text):
            continue
        above = total - below - prose[i]
        where = HEAD if not above else TAIL if below <= CLOSING_PROSE else MIDDLE
        lines.setdefault(text, where)
        if not prose[i]:
            found = _FRAME.fullmatch(text)
            if found is not None:
                frames.setdefault(found.group("label") + found.group("sep"), found.group("value"))
    return DocumentCandidates(group, id, site, tuple(lines.items()), tuple(frames.items()),
                              prefixes(texts[0]) if texts else (), suffixes(texts[-1]) if texts else (),
                              tuple(starts.items()))


def openings(text: str) -> tuple[tuple[str, str], ...]:
    """The runs a line opens with that a widget or a label glued before a sentence in a one-line text makes,
    each with the capitalised word after it: words without a lower-case letter ("KANAL WARTA TV Presiden
    ...", "DDS DIRECTO \u00b7 EN VIVO El ..."), or capitalised words up to a colon ("Sorotan Warta Kita: Harga
    ..."). Two words or more; a name ("New York City ...") or a sentence ("He said: We ...") is never one."""
    words = text.split(" ", OPENING_WORDS + 1)
    found = []
    capitals = True
    for count in range(1, min(len(words) - 1, OPENING_WORDS)):
        word = words[count - 1]
        capitals = capitals and _CAPITALS.fullmatch(word) is not None
        label = _LABEL_END.fullmatch(word) is not None
        if not (capitals or label or _CAPITALISED.fullmatch(word)):
            break
        following = words[count]
        if count >= 2 and (capitals or label) and following[:1].isupper() \
                and _HAS_LETTER.search(" ".join(words[:count])):
            found.append((" ".join(words[:count]), following))
        if label:
            break
    return tuple(found)


def prefixes(text: str) -> tuple[str, ...]:
    """The heads of a line up to each separator in its first `_EDGE_CHARS` characters, where text follows."""
    found = []
    for match in _SEPARATOR.finditer(text, 0, _EDGE_CHARS):
        head = text[: match.end()].rstrip()
        if text[match.end():].strip() and _HAS_LETTER.search(head):
            found.append(head)
    return tuple(found)


def suffixes(text: str) -> tuple[str, ...]:
    """The tails of a line from each separator in its last `_EDGE_CHARS` characters, where text precedes; and
    a closing note in brackets."""
    start = max(0, len(text) - _EDGE_CHARS)
    found = []
    for match in _SEPARATOR.finditer(text, start):
        tail = text[match.start():].strip()
        if text[: match.start()].strip() and _HAS_LETTER.search(tail):
            found.append(tail)
    bracketed = _BRACKETED_TAIL.search(text)
    if bracketed is not None and bracketed.start() > 0:
        found.append(bracketed.group().strip())
    return tuple(dict.fromkeys(found))
