"""Stage 5: split lines into units at the boundaries scrapers destroyed, so rules read them as lines.

Scraped corpora often hold an article on one line (`' '.join(p.get_text() ...)`), with words glued where
tags met (`ditutup.Bahkan`) and related-link boxes, ad markers, captions and bylines glued into the prose.
The rules are written for lines; this stage cuts every line into units where a boundary was lost:

- a sentence end followed by the next sentence's capital, with or without a space (`ditutup. Bahkan`,
  `ditutup.Bahkan`, Scrapy's comma-joined `dilantik.,Baru`), never after an abbreviation or an initial
  (`Jl.Sudirman`, `Prof. Dr.`, `Annesa K. Ramadhany`) or inside a number or domain (`Rp5.000`, `detik.com`);
- before and after every match of a `split` rule (`Baca Juga:`, `ADVERTISEMENT`, `Simak Video ...:`, a
  dateline, a sign-off), so the chrome becomes a unit of its own;
- after a `split` rule with `headlines: true`, between the related headlines glued to each other and to the
  article (`Judul SatuJudul DuaBahkan, ...`), up to where the article's next sentence starts.

A unit keeps its line number, its column in the line, its position among the line's units and the text
that glued it to the unit before; tidy joins the units that stay next to each other back into the line they
came from, so the kept text is the input's own, and where chrome was cut out a paragraph break remains.
HTML pages are not segmented: trafilatura's text keeps the page's blocks.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections.abc import Callable, Sequence

import regex

from cleaner.document import Document, Line
from cleaner.ruleset.index import RuleIndex
from cleaner.text.characters import drop_doubled_stop
from cleaner.text.prose import MINOR_WORDS

#: A sentence end, then the gap a scraper left (spaces, Scrapy's commas, or nothing), then what starts the
#: next sentence: a capital, maybe behind an opening quote, or an item number ("2. Menyatakan"). A bracket
#: after a sentence holds its credit ("... Putin. (Foto: Reuters)"): it stays with the sentence.
_SENTENCE_BREAK = regex.compile(
    r"(?P<stop>[.!?\u2026]+[\"'\u201d\u2019)\]]*)(?P<gap>[ ,]*)"
    r"(?=[\"'\u201c\u2018]?\p{Lu}|\d{1,2}[.)]\s)"
)
#: The word right before a full stop (letters only): "Jl" in "Jl.Sudirman", "K" in "Annesa K. Ramadhany".
_WORD_BEFORE = regex.compile(r"(?<![\p{L}\d])(\p{L}+)\.$")
_LAST_CAPITALISED = regex.compile(r"(?<=\p{Ll})\p{Lu}\p{Ll}*$")
#: Glued across a tag without a space, the next sentence starts with a capitalised word, not an acronym.
_GLUED_START = regex.compile(r"[\"'\u201c\u2018(\[]?\p{Lu}\p{Ll}")
#: The token right before a stop (an abbreviation, a number, an address or a word).
_TOKEN_BEFORE = regex.compile(r"\S*$")
#: Abbreviations and titles that a full stop follows inside a sentence (Indonesian and English).
ABBREVIATIONS = frozenset({
    "jl", "jln", "gg", "no", "nomor", "kec", "kab", "kel", "ds", "prov", "rt", "rw", "kav", "blok", "tel",
    "telp", "hp", "fax", "hlm", "hal", "vol", "ed", "cet", "dok", "doc", "dr", "drs", "dra", "prof", "ir", "hj", "kh",
    "ny", "nn", "tn", "sdr", "sdri", "bpk", "bp", "yth", "mr", "mrs", "ms", "jr", "sr", "st", "mt", "pt",
    "cv", "tbk", "persero", "inc", "ltd", "co", "corp", "vs", "etc", "dll", "dsb", "dst", "dkk",
    "kol", "kapt", "mayjen", "brigjen", "letjen", "jend", "irjen", "kombes", "akbp", "ipda", "iptu", "aiptu",
    "bripka", "brigadir", "kompol", "serda", "sertu", "pelda", "lettu", "letda", "mgr", "pdt", "ust", "ustaz",
    "sp", "mm", "msi", "mpd", "spd", "sh", "se", "mh", "mba", "phd", "lc", "ma", "ba", "bsc", "msc",
    "approx", "fig", "gen", "gov", "sen", "rep", "rev", "lt", "sgt", "capt", "col", "cmdr", "adm", "dept",
    "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "agu", "agt", "sep", "sept", "oct", "okt", "nov",
    "dec", "des",
})
#: Inside a run of related headlines: a lower-case letter glued to the capital of the next headline.
_CASE_GLUE = regex.compile(
    r"(?<=[\p{L}\d][\p{Ll}\d]|[\p{Ll}\d][!?\u201d\u2019)])(?=[\"\u201c\u2018]?\p{Lu}\p{Ll})|(?<=\p{Ll}{2})(?=\p{Lu}{2,}\b)"
)
_RUN_WORD = regex.compile(r"\S+")
_HAS_WORD = regex.compile(r"\w")
#: The fewest words a related headline has.
HEADLINE_WORDS = 3
_OPENING_QUOTE = frozenset("\"\u201c\u2018'")
_CLOSERS = frozenset(")\"'\u201d\u2019]")


def _stops_a_sentence(text: str, stop: regex.Match[str]) -> bool:
    """The full stop, `?`, `!` or ellipsis of `stop` ends a sentence (not an abbreviation, initial or domain)."""
    end = stop.start("stop")
    found = _TOKEN_BEFORE.search(text, max(0, end - 60), end)
    token = found.group() if found else ""
    if stop.group("stop")[0] == ".":
        if token.isdigit() and len(token) <= 3:
            before = text[: end - len(token)].rstrip()
            if not before or before[-1] in ".!?:;\"\u201d)":
                return False  # an item number ("1. Buka konten", "... seluruhnya. 2. Menyatakan"), not "ke 30."
        word = _WORD_BEFORE.search(token + ".")
        if word is not None:
            letters = word.group(1)
            glued = _LAST_CAPITALISED.search(letters)  # "aaJl": an abbreviation glued to what came before
            for candidate in (letters, glued.group() if glued else letters):
                if len(candidate) == 1 or candidate.casefold() in ABBREVIATIONS:
                    return False  # an initial ("K. Ramadhany") or an abbreviation ("Jl.", "Prof.")
        if not stop.group("gap") and ("@" in token or "://" in token or token.startswith("www.")):
            return False  # inside an e-mail address or a URL ("https://x.com/a.Html")
    if not stop.group("gap"):
        # Glued across a tag: only where a word ends in lower case and a capitalised word begins.
        if len(token) < 2 or not (token[-1].islower() or token[-1].isdigit() or token[-1] in _CLOSERS):
            return False
        return _GLUED_START.match(text, stop.end()) is not None
    return True


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """The (end of one sentence, start of the next) positions inside a line; the gap between is the glue."""
    breaks = []
    for found in _SENTENCE_BREAK.finditer(text):
        if found.end() < len(text) and _stops_a_sentence(text, found):
            breaks.append((found.end("stop"), found.end()))
    return breaks


def headline_breaks(text: str, start: int, stop: int, inner: Sequence[int] = ()) -> list[int]:
    """Where related headlines glued after a marker (from `start` to the next full stop `stop`) part.

    Glued headlines part where a lower-case letter meets the next one's capital (`LockdownVaksin`); `inner`
    are the sentence breaks inside the run (a headline ending in "?" or "!"). The article's sentence starts
    after the last headline: at an opening quote, or at the capitalised word right before the first word a
    title-case headline would not print in lower case (when no glue showed it).
    """
    cuts = [m.start() for m in _CASE_GLUE.finditer(text, start, stop)]
    tail = max(start, max(cuts, default=start), max(inner, default=start))
    words = list(_RUN_WORD.finditer(text, tail, stop))
    first_lower = next((k for k, w in enumerate(words)
                        if w.group()[0].islower() and w.group().casefold() not in MINOR_WORDS), None)
    if first_lower is not None and first_lower > 0 and not cuts:
        # Where headlines were glued, the last glue is where the sentence starts ("...InduKementerian Luar Negeri
        # Rusia mengatakan"); else a headline has HEADLINE_WORDS words at least before the sentence's start.
        quote = next((k for k in range(first_lower, HEADLINE_WORDS - 1, -1) if words[k].group()[0] in _OPENING_QUOTE),
                     None)
        if quote is not None:
            cuts.append(words[quote].start())
        else:
            capital = next((k for k in range(first_lower - 1, HEADLINE_WORDS - 1, -1) if words[k].group()[0].isupper()),
                           None)
            if capital is not None:
                cuts.append(words[capital].start())
    return sorted(set(cuts))


def _inside_a_word(text: str, at: int) -> bool:
    """Between two letters that no tag could have glued: only a lower-case letter before a capital is glue
    ("InduKementerian"); "ADVE|RTISEMENT" or "ber|jalan" is a word a rule must not cut."""
    if at <= 0 or at >= len(text):
        return False
    before, after = text[at - 1], text[at]
    return before.isalpha() and after.isalpha() and not (before.islower() and after.isupper())


#: A boundary: (end of the unit before, start of the unit after, the split rule that made it or None).
Point = tuple[int, int, str | None]


def split_points(text: str, splits: RuleIndex, allowed: frozenset[int], line: int = 0) -> list[Point]:
    """Every boundary in a line, in order; a sentence end's has no rule.

    Sentence ends are looked for between the split rules' boundaries, so whether a stop ends a sentence never
    depends on a marker glued before it ("...CONTENT0. Kalimat" reads "0." as the unit after the ad reads it).
    """
    points: dict[tuple[int, int], str | None] = {}
    runs: list[tuple[int, str]] = []  # where the match of a `headlines` rule ends: its headlines follow

    def add(at: int, rule: str) -> None:
        if not _inside_a_word(text, at):
            points[(at, at)] = points.get((at, at)) or rule

    folded = text.casefold() if allowed else ""
    for position in sorted(allowed):
        rule = splits.rules[position]
        assert rule.matcher is not None
        for start, end in rule.matcher.boundaries(text, line, folded):
            add(start, rule.id)
            add(end, rule.id)
            if rule.headlines:
                runs.append((end, rule.id))
    marks = sorted(at for at, _ in points)  # the rules' boundaries: a run of headlines ends at the next one too
    edges = sorted({0, len(text), *marks})
    sentences = [(end + a, start + a)
                 for a, b in itertools.pairwise(edges) for end, start in sentence_breaks(text[a:b])]
    for found in sentences:
        points.setdefault(found, None)
    full_stops = [end for end, _ in sentences if text[end - 1: end] not in ("?", "!")]
    befores = [before for before, _ in sentences]  # ascending, as are `full_stops` and `marks`: bisected, so a
    for end, rule_id in runs:                       # line of thousands of runs stays linear
        after_stop, after_mark = bisect.bisect_right(full_stops, end), bisect.bisect_right(marks, end)
        stop = min(full_stops[after_stop] if after_stop < len(full_stops) else len(text),
                   marks[after_mark] if after_mark < len(marks) else len(text))
        inner = [after for _, after in sentences[bisect.bisect_right(befores, end): bisect.bisect_left(befores, stop)]]
        for cut in headline_breaks(text, end, stop, inner):
            add(cut, rule_id)
    return [(end, start, cause) for (end, start), cause in sorted(points.items())]


def _units(line: Line, points: Sequence[Point]) -> list[Line]:
    """Line cut at `points`; each unit stripped, with its column, the glue text before it and what cut it.

    A piece without a word character is no unit: it stays with the unit before it (at the line's start, with
    the one after it), so no character of the line is lost without a removal.
    """
    text = line.text
    units: list[Line] = []
    cursor, glue_from = 0, 0
    cause: str | None = None  # the rule behind the boundaries since the last unit, if any
    for end, start, why in [*points, (len(text), len(text), None)]:
        if end < cursor:
            cause = cause or why
            continue
        piece = text[cursor:end]
        stripped = drop_doubled_stop(piece.strip())  # "kali. ." cut before a glued marker, as normalise would
        if not _HAS_WORD.search(stripped):
            if units:  # stray punctuation stays with the unit before it ("(AA) .")
                last = units[-1]
                units[-1] = last._replace(text=text[last.column - line.column: end].strip())
                glue_from = end - (len(piece) - len(piece.rstrip()))
                cursor = max(start, end)
                cause = why
            else:
                cause = cause or why  # the first unit starts where this piece did
            continue
        column = cursor + len(piece) - len(piece.lstrip())
        glue = text[glue_from:column] if units else None
        units.append(Line(line.number, stripped, line.column + column, len(units), glue, cause if units else None))
        glue_from = column + len(stripped)
        cursor = max(start, end)
        cause = why
    return units if len(units) > 1 else [line]


def _may_end_a_sentence(text: str) -> bool:
    """A stop somewhere before the line's last character (a cheap test before the sentence pattern runs)."""
    body = text[:-1]
    return "." in body or "?" in body or "!" in body or "\u2026" in body


def segment_lines(lines: Sequence[Line], splits: RuleIndex) -> tuple[Line, ...]:
    """Every line cut into its units (a line without a boundary stays as it is)."""
    texts = [line.text for line in lines]
    allowed = splits.candidates([t.casefold() for t in texts]) if splits.rules else [frozenset()] * len(texts)
    result: list[Line] = []
    for line, rules in zip(lines, allowed, strict=True):
        text = line.text
        if not rules and not _may_end_a_sentence(text):
            result.append(line)  # most lines of a page: no split rule's words, no stop before the last character
            continue
        points = split_points(text, splits, rules, line.number)
        result.extend(_units(line, points) if points else [line])
    return tuple(result)


#: A kept unit as `join_units` reads it: (line number, part, glue, text, text as the segment stage cut it,
#: the split rule that parted it from the unit before or None for a sentence end).
Unit = tuple[int, int, str | None, str, bool, str | None]
#: How much text on each side of a junction `parts_again` reads (the longest context a boundary looks at).
_JUNCTION_CONTEXT = 250


def parts_again(before: str, glue: str, after: str, splits: RuleIndex, last: str) -> bool:
    """Read again, `before + glue + after` is cut into the same units: `last` (the last unit of `before`) and
    `after`, parted at the glue (a sentence end or a split rule's boundary there, none inside either)."""
    head = before[-_JUNCTION_CONTEXT:]
    text = head + glue + after
    allowed = splits.candidates([text.casefold()])[0] if splits.rules else frozenset()
    units = _units(Line(0, text), split_points(text, splits, allowed))
    # the window may start at a space, which the unit read from it has lost
    return len(units) >= 2 and units[-1].text == after and units[-2].text.endswith(last[-_JUNCTION_CONTEXT:].lstrip())


def join_units(
    units: Sequence[Unit], stands_alone: Callable[[str], bool], splits: RuleIndex,
    checked: dict[tuple[str, str, str, str], bool] | None = None,
) -> list[tuple[list[int], str]]:
    """The paragraphs kept units make, as (positions in `units`, text), in order.

    Units of one line that were next to each other in it are joined with their glue; across a gap (a unit
    between them left) the paragraph breaks, unless a side would not stand as a paragraph of its own (a short
    sentence kept as part of its line: alone, cleaning the output again would drop it), when a space joins them.
    Either join is made only where the segment stage would cut the joined text there again (`parts_again`),
    so the output, cleaned again, is read as the same units; elsewhere the paragraph breaks. Two units kept
    next to each other as they were cut, parted by a sentence end, part there again: that join is taken
    unchecked (a rule's boundary may have needed a marker that is gone, as a run of headlines after "Baca
    Juga:" does). `checked` keeps the checks across calls (the strip stage asks again each round).
    """
    # each paragraph grows by appending: its members and pieces as lists, its text joined once at the end
    # (concatenating as it grew made a one-line page of thousands of units quadratic)
    members_of: list[list[int]] = []
    pieces_of: list[list[str]] = []
    previous: Unit | None = None
    checked = {} if checked is None else checked

    def tail() -> str:
        """The last `_JUNCTION_CONTEXT` characters of the paragraph growing: all a junction reads."""
        pieces, size, start = pieces_of[-1], 0, len(pieces_of[-1])
        while start and size < _JUNCTION_CONTEXT:
            start -= 1
            size += len(pieces[start])
        return "".join(pieces[start:])[-_JUNCTION_CONTEXT:]

    def cut_again(glue: str, text: str, last: str) -> bool:
        key = (tail(), glue, text, last)
        if key not in checked:
            checked[key] = parts_again(key[0], glue, text, splits, last)
        return checked[key]

    def grow(position: int, glue: str, text: str) -> None:
        members_of[-1].append(position)
        pieces_of[-1] += (glue, text)

    for position, unit in enumerate(units):
        number, part, glue, text, as_cut, cut = unit
        if previous is not None and glue is not None and number == previous[0]:
            if part == previous[1] + 1 and ((as_cut and previous[4] and cut is None)
                                            or cut_again(glue, text, previous[3])):
                grow(position, glue, text)
                previous = unit
                continue
            if part != previous[1] + 1 and not (stands_alone("".join(pieces_of[-1])) and stands_alone(text)) \
                    and cut_again(" ", text, previous[3]):
                grow(position, " ", text)
                previous = unit
                continue
        members_of.append([position])
        pieces_of.append([text])
        previous = unit
    return [(members, "".join(pieces)) for members, pieces in zip(members_of, pieces_of, strict=True)]


def segment(doc: Document, splits: RuleIndex) -> Document:
    """Stage: the page's lines as units (`splits`: the page's `split` rules, site rules first)."""
    if doc.format == "html":
        return doc
    return dataclasses.replace(doc, lines=segment_lines(doc.lines, splits))
