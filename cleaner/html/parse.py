"""An HTML page read safely: told from text, decoded (UTF-8 first, then the declared charset, then
charset-normalizer), its monstrous tags tamed, parsed once (deep nesting too)."""

from __future__ import annotations

import functools
from typing import Any

import charset_normalizer
import regex

from cleaner.errors import DocumentError
from cleaner.stages.decode import bom_encoding, decode_bytes, decode_stateful

_DECLARED = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", regex.IGNORECASE)
_HTML_START = regex.compile(r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            regex.IGNORECASE | regex.DOTALL)
NOT_WORD = regex.compile(r"[\W_]+")


def looks_like_html(head: str | bytes) -> bool:
    """Sniff a page: an HTML document starts with a doctype, `<html>`, `<head>` or `<body>` tag.

    Bytes are read in the encoding their byte-order mark names (UTF-16 and UTF-32 HTML too), else UTF-8.
    """
    if isinstance(head, bytes):
        encoding = bom_encoding(head) or "utf-8"
        text = head[:4096].decode(encoding, errors="replace")
    else:
        text = head[:4096]
    return _HTML_START.match(text) is not None


#: A tag longer than this many characters, or with more than `MAX_ATTRIBUTES` attributes, is cut to its
#: name before parsing: libxml2 takes time quadratic in both (a 100,000-attribute tag: minutes). Real
#: tags stay below (the longest on the fundus and AEB pages are JSON in `data-` attributes and inline data
#: URIs of tens of thousands of characters).
MAX_TAG_CHARS = 100_000
MAX_ATTRIBUTES = 1_000
_TAG_NAME = regex.compile(r"[A-Za-z][\w:.-]{0,40}")


def tame_markup(markup: str) -> tuple[str, str | None]:
    """`markup` with each pathological tag cut to its bare name, and a warning when one was.

    The scan is over the text between one `<` and the next (a split, no regex): a tag is long when its
    first `>` is past `MAX_TAG_CHARS`, or a flood of attributes when its stretch holds more than
    `MAX_ATTRIBUTES` `=` signs (one per twenty characters or more) and as many quotes (a `>` in a quoted
    value cannot hide it). What follows the stretch's last `>` is kept: that is the text after the tag.
    """
    if len(markup) <= MAX_TAG_CHARS:
        return markup, None
    pieces = markup.split("<")
    cut = 0
    for number, piece in enumerate(pieces):
        if len(piece) <= MAX_TAG_CHARS or number == 0:
            continue
        name = _TAG_NAME.match(piece)
        if name is None:
            continue
        end = piece.find(">")
        equals = piece.count("=")
        flood = (equals > MAX_ATTRIBUTES and equals * 20 > len(piece)
                 and piece.count('"') + piece.count("'") >= equals)  # quoted values, which may hold a `>`
        if end == -1 or end > MAX_TAG_CHARS or flood:
            last = piece.rfind(">") if flood else end
            pieces[number] = name.group() + (">" + piece[last + 1:] if last != -1 else ">")
            cut += 1
    if not cut:
        return markup, None
    return "<".join(pieces), (f"cut {cut} tag(s) of over {MAX_TAG_CHARS:,} characters or {MAX_ATTRIBUTES:,} "
                              "attributes to their names before parsing")


def decode_html(raw: bytes) -> tuple[str, str | None]:
    """HTML bytes to text; a warning when the page's declared charset was wrong or missing.

    A byte-order mark decides first: it is what a UTF-16 page has to tell its encoding by.
    """
    if bom_encoding(raw) is not None:
        return decode_bytes(raw)
    stateful = decode_stateful(raw)
    if stateful is not None:
        return stateful
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(raw[:4096])
    if declared:
        name = declared.group(1).decode("ascii", errors="ignore")
        try:
            return raw.decode(name), None
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise DocumentError("HTML that is neither UTF-8 nor its declared charset, and no other encoding fits")
    return str(best), f"HTML decoded as {best.encoding} (detected by charset-normalizer)"


#: Nesting libxml2 parses with its `huge` option (without it: 256 levels, and an article nested deeper in
#: `<div>`s comes out empty).
HUGE_DEPTH = 2048


def _depth_exceeded(parser: Any) -> bool:
    return any("Excessive depth" in entry.message for entry in parser.error_log)


@functools.cache
def _huge_parser() -> Any:
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    return lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                remove_pis=True, huge_tree=True)


def parse(markup: str) -> tuple[Any, str | None]:
    """trafilatura's parse of the page; again without libxml2's depth limit when the page hit it.

    The warning says when even that limit was reached: what lies deeper is missing from the tree.
    """
    from lxml import html as lxml_html
    from trafilatura.utils import HTML_PARSER, load_html, repair_faulty_html

    tree = load_html(markup)
    if tree is None or not _depth_exceeded(HTML_PARSER):
        return tree, None
    try:
        deep = lxml_html.fromstring(repair_faulty_html(markup, markup[:50].lower()), parser=_huge_parser())
    except (ValueError, lxml_html.etree.ParserError):
        return tree, "the page nests elements deeper than 255 levels; the HTML parser stops there"
    if _depth_exceeded(_huge_parser()):
        return deep, (f"the page nests elements deeper than {HUGE_DEPTH - 1:,} levels; the HTML parser stops "
                      "there and what lies deeper is missing")
    return deep, None
