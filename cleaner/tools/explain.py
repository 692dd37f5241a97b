"""`cleaner explain`: one page's lines in order, what each rule removed from them, and where each rule is written.

The lines shown are the page as the rules read it: the text as normalised (for an HTML page, the text the
extractor gave; the page lines it left out are shown collapsed in the HTML report). Every removal carries
its rule's id and, for a rule from a file, that file and line; structure steps are named by their id.
"""

from __future__ import annotations

import html
import os
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.controls import printable
from cleaner.document import Capture, Document, Removal
from cleaner.fields import RECORD_FIELDS
from cleaner.result import CleanResult
from cleaner.steps import STRUCTURE, Step

#: Metadata fields in the order they are shown: the record's, between its id and url and its text.
SHOWN_FIELDS = tuple(name for name in RECORD_FIELDS if name not in ("id", "url", "text", "warnings"))


@dataclass(frozen=True)
class Mark:
    """A removal on one line: `start`/`end` are offsets in the line's text; `whole` when the line went."""

    rule: str
    start: int
    end: int
    whole: bool


@dataclass
class ShownLine:
    number: int
    text: str
    kept: bool
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Explanation:
    """What `cleaner explain` shows of one page: its lines with their marks, the result, the captures.

    `left_out` (HTML pages) maps the number of a shown line to the page lines the extractor left out right
    above it (key 0: after the last shown line).
    """

    lines: list[ShownLine]
    result: CleanResult
    captures: list[Capture]
    sources: dict[str, str]
    generic_sets: frozenset[str] = frozenset()
    left_out: dict[int, list[str]] = field(default_factory=dict)
    site_name: tuple[str, str] | None = None  # the site rule's `name` and its file, when it gave `outlet`
    from_html: bool = False

    def source(self, rule: str) -> str:
        """`file:line` of a rule from a rule file, or what kind of step it is."""
        return self.sources.get(rule, "structure step" if rule.startswith(STRUCTURE) else "built-in step")

    def counts(self) -> Counter[str]:
        return Counter(mark.rule for line in self.lines for mark in line.marks)

    def concept(self, rule: str) -> str:
        """What a rule is coloured by: its file's id for generic rules (ads, bylines, captions ...), `structure`
        for the structure steps, `site` for a site's rules."""
        head = rule.split("/", 1)[0]
        name = head if head in self.generic_sets or "/" not in rule or head == "structure" else "site"
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)  # a CSS class name


def _shown_path(file: str) -> str:
    """A rule file's path relative to the current folder where it is under it."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return file


def _rule_sources(cleaner: Cleaner) -> dict[str, str]:
    sources = {}
    for ruleset in cleaner.rulesets:
        shown = _shown_path(ruleset.file)
        for rule in ruleset.rules:
            sources[rule.id] = f"{shown}:{rule.line}"
    return sources


def explain(cleaner: Cleaner, page: str | bytes, url: str | None = None, *, format: str = "auto",
            source: str | None = None) -> Explanation:
    """Clean `page` and keep what the explanation needs: the lines as read, the final document (`source`: the
    input it came from, which chooses learned rules for a page without URL or site)."""
    seen: dict[str, Document] = {}

    def observe(name: str, doc: Document) -> None:
        if name == "normalise":
            seen[name] = doc

    doc = cleaner.run(cleaner.document(page, url, format=format, source=source), observe=observe)
    result = cleaner.result(doc, None, url)
    read = seen["normalise"]
    kept_numbers = {line.number for line in doc.lines}
    by_line: dict[int, list[Removal]] = {}
    for removal in doc.removed:
        by_line.setdefault(removal.line, []).append(removal)
    lines = []
    for line in read.lines:
        removals = by_line.pop(line.number, [])
        if not line.text.strip() and not removals:
            continue  # a blank line parts paragraphs: nothing was removed there
        lines.append(_shown(line.number, line.text, line.number in kept_numbers, removals))
    for number, removals in sorted(by_line.items()):  # lines the normalise stage itself took (blank, doubled)
        lines.append(_shown(number, removals[0].text, False, removals))
    lines.sort(key=lambda shown: shown.number)
    generic = frozenset(r.id for r in cleaner.rulesets if r.kind == "generic")
    site = next((r for r in cleaner.sites if r.id == doc.site), None)
    site_name = (site.name, _shown_path(site.file)) if site and site.name and site.name == result.outlet else None
    explanation = Explanation(lines, result, list(doc.captures), _rule_sources(cleaner), generic,
                              site_name=site_name, from_html=doc.format == "html")
    page_text = doc.html.page_text if doc.html else None  # the whole page, as extract_html rendered it
    if doc.format == "html" and page_text:
        explanation.left_out = _left_out(page_text, lines)
    return explanation


def _shown(number: int, text: str, kept: bool, removals: Sequence[Removal]) -> ShownLine:
    marks = []
    for removal in removals:
        start = removal.column if text[removal.column: removal.column + len(removal.text)] == removal.text \
            else max(text.find(removal.text), 0)
        whole = removal.text == text or (not kept and len(removals) == 1)
        marks.append(Mark(removal.rule, start, start + len(removal.text), whole))
    if not kept and not marks:
        marks.append(Mark(Step.OUTSIDE_BODY, 0, len(text), True))
    return ShownLine(number, text, kept, marks)


def _left_out(page_text: str, lines: Sequence[ShownLine]) -> dict[int, list[str]]:
    """The page's lines around and between the extracted ones, placed above the extracted line they precede."""
    page = [" ".join(line.split()) for line in page_text.split("\n")]
    left: dict[int, list[str]] = {}
    position = 0
    for shown in lines:
        target = " ".join(shown.text.split())
        found = next((k for k in range(position, len(page)) if page[k] == target), None)
        if found is None:
            continue
        gap = [p for p in page[position:found] if p]
        if gap:
            left[shown.number] = gap
        position = found + 1
    rest = [p for p in page[position:] if p]
    if rest:
        left[0] = rest
    return left


# -- the terminal --------------------------------------------------------------------------------------------------

_RED, _YELLOW, _DIM, _RESET, _STRIKE = "\033[31m", "\033[43;30m", "\033[2m", "\033[0m", "\033[9m"


def render_text(explanation: Explanation, colour: bool = False) -> str:
    """The page's lines in order: `-` a removed line, `~` a line that lost spans, each with its rules."""
    out = []
    width = len(str(max((line.number for line in explanation.lines), default=1)))
    for line in explanation.lines:
        if not line.kept:
            sign, text = "-", (f"{_RED}{_STRIKE}{printable(line.text)}{_RESET}" if colour else printable(line.text))
        elif line.marks:
            sign, text = "~", _highlight(line, colour)
        else:
            sign, text = " ", printable(line.text)
        out.append(f"{line.number:>{width}} {sign} {text}")
        for mark in sorted(line.marks, key=lambda m: m.start):  # in the order they stand in the line
            what = "" if mark.whole else f"{line.text[mark.start:mark.end]!r}: "
            note = printable(f"{what}{mark.rule} ({explanation.source(mark.rule)})")
            out.append(" " * (width + 3) + (f"{_DIM}{note}{_RESET}" if colour else f"  {note}"))
    out += ["", "metadata:"]
    for name, value, where in metadata_rows(explanation):  # a page's values never reach the terminal raw
        out.append(f"  {name:<10} {printable(value)}" + (f"  <- {printable(where)}" if where else ""))
    counts = explanation.counts()
    out += ["", f"{sum(counts.values())} removals by {len(counts)} rules; body: "
                f"{sum(1 for line in explanation.lines if line.kept)} of {len(explanation.lines)} lines"]
    return "\n".join(out) + "\n"


def _pieces(line: ShownLine) -> list[tuple[str, Mark | None]]:
    """A kept line cut into its text and its removed spans (each with its mark), in order; overlaps once."""
    pieces: list[tuple[str, Mark | None]] = []
    last = 0
    for mark in sorted(line.marks, key=lambda m: m.start):
        if mark.start < last:
            continue
        pieces += [(line.text[last:mark.start], None), (line.text[mark.start:mark.end], mark)]
        last = mark.end
    return [*pieces, (line.text[last:], None)]


def _highlight(line: ShownLine, colour: bool) -> str:
    if not colour:
        return printable(line.text)
    return "".join(printable(text) if mark is None else _YELLOW + _STRIKE + printable(text) + _RESET
                   for text, mark in _pieces(line))


def metadata_rows(explanation: Explanation) -> list[tuple[str, str, str]]:
    """(field, value, where it came from) for each field with a value: the rules that captured it."""
    record = explanation.result.to_dict()
    rows = []
    for name in SHOWN_FIELDS:
        value = record.get(name)
        if value in (None, [], ""):
            continue
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        # a section name above the headline is read into the category
        captured = [c for c in explanation.captures if c.field == name or (name == "category" and c.field == "section")]
        if name == "outlet" and explanation.site_name:
            where = f"the site rule's name ({explanation.site_name[1]})"
        elif name == "site":
            where = "chosen by the URL's host or the text's signature"
        elif name == "title" and not captured:
            where = next((f"{m.rule}, line {line.number}" for line in explanation.lines for m in line.marks
                          if m.rule.endswith("title") and " ".join(line.text.split()) == value), "")
        else:
            # on an HTML page, captures also come from the page around the article, whose lines are not shown
            at = "" if explanation.from_html else ", line {}"
            where = "; ".join(dict.fromkeys(f"{c.rule} ({explanation.source(c.rule)}){at.format(c.line)}"
                                            for c in captured))
        if not where and explanation.from_html and name not in ("language", "site"):
            where = "the page's declared metadata (meta tags, JSON-LD)"
        rows.append((name, shown, where))
    return rows


# -- the HTML report -----------------------------------------------------------------------------------------------

_PALETTE = ("#f4a6a6", "#f7c98b", "#f3e38a", "#b9e3a1", "#9fd8d8", "#a9c4f5", "#c9b2f0", "#f0b2dc", "#d6c7a7",
            "#c7d6a7", "#a7c7d6", "#e0e0e0")
#: The bundled concepts' colours, the same in every report (another concept's comes from its name's checksum).
CONCEPT_COLOURS = {
    "ads": "#f4a6a6", "related-links": "#f7c98b", "promos": "#f3e38a", "captions": "#b9e3a1", "bylines": "#9fd8d8",
    "datelines": "#a9c4f5", "dates": "#c9b2f0", "embeds": "#f0b2dc", "footers": "#d6c7a7", "navigation": "#c7d6a7",
    "sharing": "#a7c7d6", "repeats": "#e8c4a0", "structure": "#e0e0e0", "site": "#ffd27f",
}


def concept_colour(concept: str) -> str:
    """A concept's colour: fixed for the bundled ones, else the palette's by a checksum of its name (not its
    place in one report), so a concept looks the same in every report."""
    return CONCEPT_COLOURS.get(concept) or _PALETTE[zlib.crc32(concept.encode()) % len(_PALETTE)]

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#222}
main{flex:1;padding:1rem 2rem;max-width:60rem}
aside{width:24rem;padding:1rem;background:#f6f6f6;border-left:1px solid #ddd;position:sticky;top:0;
height:100vh;overflow:auto;box-sizing:border-box}
.line{display:flex;gap:.6rem;padding:1px 0}
.no{color:#999;min-width:3ch;text-align:right;font-variant-numeric:tabular-nums}
.removed .text{text-decoration:line-through}
del{text-decoration:line-through;border-radius:3px;padding:0 2px}
details.left-out{margin:.3rem 0 .3rem 3.6ch;color:#666}
details.left-out pre{white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace}
table{border-collapse:collapse;width:100%;font-size:13px}
td{border-bottom:1px solid #e4e4e4;padding:2px 4px;vertical-align:top}
.swatch{display:inline-block;width:1em;height:1em;border-radius:3px;vertical-align:middle}
.rule{color:#777;font:11px ui-monospace,monospace;margin-left:auto;padding-left:1rem;white-space:nowrap}
.tools{position:sticky;top:0;background:#fff;padding:.4rem 0;border-bottom:1px solid #eee;font-size:13px}
#hide:checked~main .line.removed,#hide:checked~main del{display:none}
tr.concept td{background:#eee;font-weight:600}
@media (max-width:70rem){.rule{display:none}}
"""


def render_html(explanation: Explanation, title: str = "cleaner explain") -> str:
    """A self-contained HTML report: removed lines and spans struck through and coloured by concept (one fixed
    colour per concept), the rule id beside a removed line where the window is wide (and with its file:line on
    hover), a "hide removed" switch and a jump to the body (plain CSS, no script), and beside the page the
    metadata and a legend of the concepts, each with its rules and their counts."""
    counts = explanation.counts()
    concepts = sorted({explanation.concept(rule) for rule in counts})
    style = "".join(f".c-{name}{{background:{concept_colour(name)}}}" for name in concepts)
    body = []
    first_kept = next((line.number for line in explanation.lines if line.kept), None)
    for line in explanation.lines:
        body += _left_out_html(explanation.left_out.get(line.number, []))
        body.append(_line_html(line, explanation, anchor=line.number == first_kept))
    body += _left_out_html(explanation.left_out.get(0, []))
    meta = "".join(f"<tr><td>{html.escape(name)}</td><td>{html.escape(value)}"
                   f"{'<br><small>' + html.escape(where) + '</small>' if where else ''}</td></tr>"
                   for name, value, where in metadata_rows(explanation))
    legend = []
    for concept in sorted(concepts, key=lambda c: -sum(n for r, n in counts.items()
                                                        if explanation.concept(r) == c)):
        rules = [(rule, n) for rule, n in counts.most_common() if explanation.concept(rule) == concept]
        legend.append(f'<tr class="concept"><td><span class="swatch c-{concept}"></span> {html.escape(concept)}'
                      f"</td><td>{sum(n for _, n in rules)}</td></tr>")
        legend += [f"<tr><td><code>{html.escape(rule)}</code><br><small>{html.escape(explanation.source(rule))}"
                   f"</small></td><td>{n}</td></tr>" for rule, n in rules]
    jump = "<a href='#body'>jump to the body</a> \u00b7 " if first_kept is not None else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_CSS}{style}</style></head><body><input type='checkbox' id='hide' hidden>"
            f"<main><h1>{html.escape(title)}</h1><div class='tools'>{jump}"
            f"<label for='hide'>hide removed</label></div>{''.join(body)}</main>"
            f"<aside><h2>Metadata</h2><table id='metadata'>{meta}</table>"
            f"<h2>Removed by</h2><table id='legend'>{''.join(legend)}</table></aside></body></html>\n")


def _left_out_html(lines: Sequence[str]) -> list[str]:
    if not lines:
        return []
    return [f"<details class='left-out'><summary>{len(lines)} page lines the extractor left out</summary>"
            f"<pre>{html.escape(chr(10).join(lines))}</pre></details>"]


def _line_html(line: ShownLine, explanation: Explanation, anchor: bool = False) -> str:
    def struck(text: str, mark: Mark) -> str:
        tip = f"{mark.rule} \u2014 {explanation.source(mark.rule)}"
        return (f'<del class="c-{explanation.concept(mark.rule)}" data-rule="{html.escape(mark.rule)}" '
                f'title="{html.escape(tip)}">{html.escape(text)}</del>')

    if not line.kept:
        text = struck(line.text, line.marks[0])
    else:
        text = "".join(html.escape(piece) if mark is None else struck(piece, mark) for piece, mark in _pieces(line))
    state = "kept" if line.kept else "removed"
    rules = " ".join(dict.fromkeys(mark.rule for mark in line.marks))  # the rule id, visible where space allows
    label = f'<span class="rule">{html.escape(rules)}</span>' if rules else ""
    where = ' id="body"' if anchor else ""
    return (f'<div class="line {state}"{where}><span class="no">{line.number}</span><span class="text">{text}</span>'
            f"{label}</div>")


def wants_colour(choice: str) -> bool:
    """`--color auto` colours a terminal that is not dumb and where NO_COLOR is not set."""
    import sys

    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb" and "NO_COLOR" not in os.environ


