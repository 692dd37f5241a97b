"""Stage 0 for HTML input: the page's main text and metadata through trafilatura.

HTML bytes are decoded before trafilatura sees them: UTF-8 first whatever the page declares (real pages
declare iso-8859-1 and hold UTF-8), then the declared charset, then charset-normalizer. A site rule's
`html:` section adds elements to prune before extraction, an element that holds the body, and XPath
expressions for metadata. The extracted text then goes through the same stages as text input, so
generic and site rules remove what trafilatura leaves (related links, bylines, datelines, captions).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import json
from collections.abc import Callable
from html import unescape
from typing import Any

import charset_normalizer
import regex

from cleaner.document import Document
from cleaner.errors import DocumentError
from cleaner.ruleset.model import HtmlSpec
from cleaner.stages.decode import bom_encoding, decode_bytes, decode_stateful
from cleaner.stages.strip import TITLE_SEPARATORS, reads_like_body
from cleaner.urls import registered_domain, split_url

_DECLARED = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", regex.IGNORECASE)
_HTML_START = regex.compile(r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            regex.IGNORECASE | regex.DOTALL)
_NOT_WORD = regex.compile(r"[\W_]+")


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


#: The marks that part a title (dashes, bars, bullets), and the full-width ones of CJK titles.
_SEPARATORS, _CJK_SEPARATORS = r"-|*\u2013\u2014\u2022\u00b7", r"\uff1a\uff5c\u3163"
#: Where a page title joins the headline to the site's name: the spaced dashes and bars, and the full-width
#: colon, bar and the Hangul letter used as a bar in CJK titles ("見出し：東京新聞", "제목ㅣ한국일보").
_TITLE_PARTS = regex.compile(rf" (?:[{_SEPARATORS}]|::) |\s*[{_CJK_SEPARATORS}]\s*")
#: A title part after the site's name that goes with it: a date or a time ("28.04.2023", "13/06/2023 10:00"),
#: or the author ("Headline | The Gateway Pundit | by Paul Serran").
_TRAILING_PART = regex.compile(r"[\d\s.:/-]+|(?i:by|von|oleh|par|por|door|av)\s+\p{Lu}[\p{L}.' -]{1,60}")


def _strip_site_suffix(title: str, sitename: str | None, hostname: str | None, sections: tuple[str, ...] = ()) -> str:
    """`Headline - Kompas.com Regional` -> `Headline`: drop the trailing parts that name the site.

    Parts after the site's name that are only a date or the author (`Headline | DW | 28.04.2023`) go with
    it, and then a last part that is the page's declared section (`Headline-정치ㅣ한국일보`).
    """
    headline = _strip_site_name(title, sitename, hostname)
    for section in sections:
        for sep in ("-", " - ", " | ", " \u2013 ", " \u00b7 "):
            if section and headline.endswith(sep + section) and len(headline) > len(sep + section):
                return headline[: -len(sep + section)].strip()
    return headline


def _strip_site_name(title: str, sitename: str | None, hostname: str | None) -> str:
    marks = {_NOT_WORD.sub("", m).casefold() for m in (sitename, (hostname or "").split(".")[0]) if m}
    marks.discard("")

    def names_site(part: str) -> bool:
        folded = _NOT_WORD.sub("", part).casefold()
        return bool(folded) and any(mark in folded or folded in mark for mark in marks)

    def is_site(part: str) -> bool:  # a kicker may name the site ("Kate Moss auf dem VOGUE-Cover: ..."): not it
        folded = _NOT_WORD.sub("", part).casefold()
        return bool(folded) and any(folded in mark or (folded.startswith(mark) and len(folded) <= len(mark) + 4)
                                    for mark in marks)

    if ": " in title:  # "KapanLagi.com: Headline"
        head, rest = title.split(": ", 1)
        if rest.strip() and is_site(head):
            title = rest
    for sep in TITLE_SEPARATORS:  # "Headline - National | Globalnews.ca": a tail that names the site
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            if head.strip() and names_site(tail):
                return head.strip()
    # CJK separators, and the site with a date after it ("Headline | DW | 28.04.2023")
    cuts = [m.start() for m in _TITLE_PARTS.finditer(title)]
    ends = [*cuts[1:], len(title)] if cuts else []
    for start, end in zip(reversed(cuts), reversed(ends), strict=True):
        part = _TITLE_PARTS.sub("", title[start:end], count=1)
        if names_site(part):
            head = title[:start].strip()
            return head or title.strip()
        if not _TRAILING_PART.fullmatch(part):
            break
    return title.strip()


#: Quotation marks folded to their ASCII forms when a declared title is compared with the printed headline.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
#: What may follow the headline in a declared title: a separator before the site's or section's name.
_TITLE_TAIL = regex.compile(rf"\s*[{_SEPARATORS}{_CJK_SEPARATORS}]")
#: The printed headline replaces a longer declared title only when it is most of it.
HEADLINE_SHARE = 0.6


def _headlines(tree: Any, objects: list[dict[str, Any]]) -> list[str]:
    """The headlines the page prints or declares beside its title: `h1`, `meta name=headline`, JSON-LD."""
    found = [" ".join(h1.text_content().split()) for h1 in tree.iter("h1")]
    found += [" ".join(str(v).split()) for v in tree.xpath("//meta[@name='headline']/@content")]
    found += [" ".join(unescape(o["headline"]).split()) for o in objects if isinstance(o.get("headline"), str)]
    return [h for h in found if h]


def printed_headline(title: str, headlines: list[str]) -> str:
    """The declared title as the page prints it: a headline that is the title in other quotation marks
    (the social card's straight `'` for the printed `’`), or the title without a tail after a separator
    (`Headline-정치ㅣ한국일보` where the page also declares `Headline`)."""
    plain = " ".join(title.split())
    folded = plain.translate(_QUOTES)
    for headline in headlines:
        if headline != plain and headline.translate(_QUOTES) == folded:
            return headline
    for headline in headlines:
        rest = plain[len(headline):]
        if (rest and plain.startswith(headline) and len(headline) >= HEADLINE_SHARE * len(plain)
                and _TITLE_TAIL.match(rest)):
            return headline
    return title


def _xpath_values(tree: Any, expressions: tuple[str, ...]) -> str | None:
    for expression in expressions:
        try:
            found = tree.xpath(expression)
        except Exception:  # lxml raises several error types; the rule was checked at load
            continue
        for item in found if isinstance(found, list) else [found]:
            value = item if isinstance(item, str) else getattr(item, "text_content", lambda: "")()
            value = " ".join(str(value).split())
            if value:
                return value
    return None


_PAGE_URL = (
    "//link[@rel='canonical']/@href",
    "//meta[@property='og:url']/@content",
    "//meta[@name='twitter:url']/@content",
)


def _page_url(tree: Any) -> str | None:
    """The page's own URL as it declares it (canonical link, og:url), for pages given without one."""
    for expression in _PAGE_URL:
        for value in tree.xpath(expression):
            value = str(value).strip()
            if value.startswith(("http://", "https://")) and split_url(value) is not None:
                return value
    return None


#: Elements whose text starts a new line in the full-page rendering (what get_text() scrapers save).
_BLOCKS = (
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul", "title", "time",
)
_SKIP = ("script", "style", "noscript", "template", "svg", "iframe", "select", "option")
#: The rendering as an XSLT stylesheet: libxslt walks the tree in C, ten times faster than a Python walk.
_PAGE_TEXT_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{'|'.join(_SKIP)}|comment()|processing-instruction()"/>
<xsl:template match="{'|'.join(_BLOCKS)}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/>\
<xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""


@functools.lru_cache(maxsize=1)
def _page_text_transform() -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XSLT(etree.fromstring(_PAGE_TEXT_XSLT))


def page_text(tree: Any) -> str:
    """The whole page as lines of text, blocks on their own lines: where bylines and date lines live.

    Scripts, styles and comments (conditional comments hold markup) are left out.
    """
    rendered = str(_page_text_transform()(tree))
    return "\n".join([" ".join(line.split()) for line in rendered.split("\n") if line and not line.isspace()])


#: Author tags that name one person each, as "Surname, Given" (Highwire Press and Dublin Core).
_CREATORS = '//meta[@name="citation_author" or @name="dc.creator" or @name="DC.creator"]/@content'
_INVERTED_NAME = regex.compile(r"(?P<surname>[^,;]{1,40}),\s*(?P<given>[^,;]{1,40})")


def _creators(tree: Any) -> str | None:
    """The page's creator tags as one `; `-joined author value, "Brazil, Rachel" read as "Rachel Brazil".

    trafilatura splits such a name at its comma into two authors; the tags hold one person each.
    """
    names = []
    for content in tree.xpath(_CREATORS):
        name = " ".join(str(content).split())
        inverted = _INVERTED_NAME.fullmatch(name)
        if inverted and not inverted.group("given").isupper() and len(inverted.group("surname").split()) <= 3:
            name = f"{inverted.group('given')} {inverted.group('surname')}"
        if name and name not in names:
            names.append(name)
    return "; ".join(names) or None


def page_metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Title, author, date, site name, section and tags as the page declares them (meta tags, JSON-LD).

    trafilatura's own readers for those, without its tree-wide searches for author names and category
    links (three quarters of its metadata time): a byline printed on the page is read by the rules.
    """
    from htmldate import find_date
    from trafilatura import metadata as trafilatura_metadata
    from trafilatura.settings import set_date_params

    found = trafilatura_metadata.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a handle, not a name (trafilatura's own rule)
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader has its own bugs; meta tags still count
        found = trafilatura_metadata.extract_meta_json(tree, found)
    title = found.title or trafilatura_metadata.extract_title(tree)
    page_url = found.url or url
    date = find_date(tree, **{**set_date_params(False), "url": page_url})
    sitename = found.sitename or trafilatura_metadata.extract_sitename(tree)
    hostname = registered_domain(page_url)  # "news.detik.com" -> "detik.com", as trafilatura gave it
    return {"title": title, "author": _creators(tree) or found.author, "date": date, "sitename": sitename,
            "categories": found.categories or [], "tags": found.tags or [], "hostname": hostname}


#: A JSON-LD `articleBody` replaces the visible extraction when it is this many times longer (plus
#: `DECLARED_MARGIN` characters) and holds it (`_holds_extraction`): the page renders its article from
#: script data, or the extractor kept only a part.
DECLARED_RATIO = 1.5
DECLARED_MARGIN = 200
_LD_JSON = '//script[@type="application/ld+json"]/text()'
_HTML_IN_TEXT = regex.compile(r"<(?:p|div|br|h[1-6]|li)\b", regex.IGNORECASE)


#: Share of the visible extraction's paragraphs a declared body must hold to replace it.
DECLARED_OVERLAP = 0.8
#: Characters of a paragraph looked for in the declared body (its start: a declared body may join lines).
_PARAGRAPH_PROBE = 60


def _paragraph_probes(text: str) -> list[str]:
    """The start of each paragraph of `text` long enough to be looked for in another text."""
    return [" ".join(p.split())[:_PARAGRAPH_PROBE] for p in text.split("\n") if len(p) >= _PARAGRAPH_PROBE]


def _holds_extraction(declared: str, text: str, ratio: float = DECLARED_RATIO, margin: int = DECLARED_MARGIN) -> bool:
    """The declared body is far longer than the extraction and holds its paragraphs: the same article, whole.

    A longer `articleBody` that is another text (an earlier version, another story of the page) holds few
    of them and is not taken.
    """
    if len(declared) <= ratio * len(text) + margin:
        return False
    probes = _paragraph_probes(text)
    if not probes:  # the extraction holds no paragraph: nothing to compare, the longer body wins
        return True
    flat = " ".join(declared.split())
    return sum(probe in flat for probe in probes) >= DECLARED_OVERLAP * len(probes)


def linked_data(tree: Any) -> list[dict[str, Any]]:
    """Every object of the page's JSON-LD (inside `@graph` and lists too), parsed once per page."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath(_LD_JSON):
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(objects) < MAX_LD_OBJECTS:
            value = stack.pop()
            if isinstance(value, dict):
                objects.append(value)
                stack.extend(reversed(list(value.values())))
            elif isinstance(value, list):
                stack.extend(reversed(value))
    return objects


#: JSON-LD objects read per page (a page's structured data holds tens; a hostile one could hold millions).
MAX_LD_OBJECTS = 10_000


def declared_body(objects: list[dict[str, Any]]) -> str | None:
    """The longest `articleBody` of the page's JSON-LD, as text."""
    best = ""
    for value in objects:
        body = value.get("articleBody")
        if isinstance(body, str) and len(body) > len(best):
            best = body
    if not best.strip():
        return None
    if _HTML_IN_TEXT.search(best):
        from lxml import html as lxml_html

        with contextlib.suppress(Exception):
            best = page_text(lxml_html.fragment_fromstring(best, create_parent="div"))
    return best.strip() or None


#: Inline scripts whose JSON data is read for a body the page renders in the browser: Next.js
#: (`__NEXT_DATA__`, `self.__next_f.push(...)`), React Query and similar state pushed into `window`.
_DATA_SCRIPTS = "//script[not(@src)]/text()"
#: Where a JSON value starts in a script: the whole script, or after `=` or `push(`.
_JSON_START = regex.compile(r"\A\s*(?=[\[{])|(?:=|\bpush\()\s*(?=[\[{])")
#: A Next.js flight chunk: `5:[...]` or `1a:{...}`, JSON after a hexadecimal id.
_FLIGHT_CHUNK = regex.compile(r"\A[0-9a-f]{1,6}:(?=[\[{])")
#: Limits on the script data read per page (values parsed, parse attempts, strings looked at).
MAX_SCRIPT_VALUES = 50
MAX_SCRIPT_TRIES = 500
MAX_SCRIPT_STRINGS = 100_000


def _script_values(tree: Any) -> list[Any]:
    """The JSON values of the page's inline scripts (a flight chunk's string decoded too), within limits."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    tries = 0
    for script in tree.xpath(_DATA_SCRIPTS):
        script = str(script)
        if len(script) < 200:  # a config snippet, not data
            continue
        for start in _JSON_START.finditer(script):
            tries += 1
            if len(values) >= MAX_SCRIPT_VALUES or tries > MAX_SCRIPT_TRIES:
                return values
            try:
                value, _ = decoder.raw_decode(script, start.end())
            except (ValueError, RecursionError):
                continue
            values.append(value)
    return values


def extract_alone(element: Any, **options: Any) -> str:
    """trafilatura's text of one element as if it were the whole page (the element is moved, not copied)."""
    import trafilatura
    from lxml import html as lxml_html

    wrapper = lxml_html.document_fromstring("<html><body></body></html>")
    wrapper.body.append(element)
    extracted: Any = trafilatura.bare_extraction(wrapper, **options)
    return getattr(extracted, "text", None) or ""


def script_body(tree: Any) -> str | None:
    """The article as the page's script data holds it: of the strings there that hold HTML paragraphs
    or line breaks, the one with the most prose (see `page_prose`), as trafilatura extracts it."""
    from lxml import html as lxml_html

    best, best_prose, seen, markup = "", 0, 0, ""
    stack = _script_values(tree)
    while stack and seen < MAX_SCRIPT_STRINGS:
        value = stack.pop()
        seen += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and len(value) > 200:
            flight = _FLIGHT_CHUNK.match(value)
            if flight:
                with contextlib.suppress(ValueError, RecursionError):
                    stack.append(json.loads(value[flight.end():]))
                continue
            if not _HTML_IN_TEXT.search(value):
                continue
            try:
                text = page_text(lxml_html.fragment_fromstring(value, create_parent="div"))
            except Exception:  # lxml raises several error types on fragments
                continue
            prose = page_prose(text)
            if prose > best_prose:
                best, best_prose, markup = text, prose, value
    if not best:
        return None
    # The chosen markup read as trafilatura reads a page: its captions, image credits and embeds left out.
    article = lxml_html.fragment_fromstring(markup, create_parent="article")
    return extract_alone(article, fast=True, include_comments=False, include_tables=True) or best


#: JSON-LD types of an article (schema.org's Article and its kinds: NewsArticle, ReportageNewsArticle,
#: BlogPosting, LiveBlogPosting, ...).
_ARTICLE_TYPE = regex.compile(r"Article$|BlogPosting$|^Report$")


def _types(value: dict[str, Any]) -> list[str]:
    declared = value.get("@type")
    return [str(t) for t in (declared if isinstance(declared, list) else [declared]) if t]


def _names(value: Any) -> list[str]:
    """The names of a JSON-LD `author` value: a name, an object with a `name`, or a list of those."""
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not name.strip().startswith(("http://", "https://")):
            found.append(" ".join(name.split()))
    return found


def declared_authors(objects: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The first article object's authors (people and agencies) and the outlets it names (its publisher).

    An author typed Organization is kept (an agency credited for the story, "dpa"); the metadata stage drops
    one that is the outlet itself.
    """
    for value in objects:
        if any(_ARTICLE_TYPE.search(t) for t in _types(value)):
            authors = _names(value.get("author")) or _names(value.get("creator"))
            if authors:
                return authors, _names(value.get("publisher")) + _names(value.get("sourceOrganization"))
    return [], []


#: Characters the parts of a split article must add to the extraction to replace it.
SPLIT_GAIN = 300


#: An extraction this long holds several paragraphs: the article was found, and readability, which replaces
#: trafilatura's result only when it finds twice as much, has on none of the 210 AEB and dev pages.
ARTICLE_LENGTH = 1000


def needs_full_cascade(extracted: Any, page_prose: int) -> str | None:
    """Why trafilatura's fast extraction of a page should be redone with its full cascade, or None.

    trafilatura's full run compares its own extraction with readability's and jusText's and takes theirs
    when its own is short (under MIN_EXTRACTED_SIZE), less than half of theirs, without paragraph text,
    dominated by tables, or holding elements it never emits. Readability's result cannot be longer than
    the page's prose, so those are checkable without running it; "less than half" is asked only of an
    extraction shorter than `ARTICLE_LENGTH`. On the AEB pages 6 in 181 come out different from the full
    run: this test flags all of them and 4 others (on the 30 dev pages, 8 of the 9 that differ; in the
    ninth the full run only drops an editor line set in a table).
    """
    from trafilatura.external import SANITIZED_XPATH
    from trafilatura.settings import DEFAULT_CONFIG

    text = getattr(extracted, "text", None) or ""
    body = getattr(extracted, "body", None)
    if len(text) < DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE"):
        return "short"
    if len(text) < ARTICLE_LENGTH and 2 * len(text) < page_prose:
        return "less than half the page's prose"
    if body is None:
        return "no body"
    paragraphs = len(body.findall(".//p"))
    if not paragraphs or not body.xpath(".//p//text()"):
        return "no paragraph text"
    if len(body.findall(".//table")) > paragraphs:
        return "more tables than paragraphs"
    if body.xpath(SANITIZED_XPATH):
        return "elements trafilatura does not emit"
    return None


def page_prose(whole_page: str) -> int:
    """Characters of the page's lines that read like article text: sentences, or in scripts written without
    spaces (Japanese, Chinese, Thai), a sentence's worth of their characters (see `reads_like_body`)."""
    return sum(len(line) for line in whole_page.split("\n") if reads_like_body(line))


def main_text(tree: Any, url: str | None, prune: list[str] | None, whole_page: str) -> str:
    """The article text of a parsed page: trafilatura's fast extraction, its full cascade where that falls short.

    The full cascade (readability and jusText runs, compared with its own) is half of trafilatura's time
    and changes the result on few pages; `needs_full_cascade` finds those from the fast result and the
    page's prose (the length of `whole_page` lines that read like article sentences).
    """
    import trafilatura

    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": True,
                               "favor_precision": True, "prune_xpath": prune or None}
    extracted: Any = trafilatura.bare_extraction(tree, fast=True, **options)  # extracts from a copy of the tree
    if needs_full_cascade(extracted, page_prose(whole_page)):
        extracted = trafilatura.bare_extraction(tree, **options)
    text = getattr(extracted, "text", None) or ""
    whole = split_article(tree, text, options)
    if whole and _holds_extraction(whole, text, ratio=1.0, margin=SPLIT_GAIN):
        return whole
    return text


#: How many levels above the extraction's first paragraph its container is looked for, and how many
#: containers of its kind one article may be split over.
CONTAINER_LEVELS = 4
MAX_PARTS = 20
#: Of a part's paragraphs, the share that must read like article text, and the most that may end in an
#: ellipsis (a list of teasers does: "The poll showed former vice ..."): else it is not the article's.
PART_PROSE_SHARE = 0.6
#: The fewest characters of a part (a teaser's summary is shorter).
MIN_PART = 300
PART_ELLIPSIS_SHARE = 0.2


def _class_kind(element: Any) -> frozenset[str]:
    """An element's class words without its modifiers (`-bottom-space`, `article--wide`): its kind."""
    return frozenset(w for w in (element.get("class") or "").split() if not w.startswith("-") and "--" not in w)


def _container(tree: Any, probe: str) -> tuple[Any, list[Any]] | None:
    """The element holding the extracted article's first paragraph and the page's other elements of its kind
    (same tag and class words), when there are several: an article split around ads and embeds."""
    for paragraph in tree.iter("p"):
        if not " ".join(paragraph.text_content().split()).startswith(probe):
            continue
        for level, element in enumerate(paragraph.iterancestors()):
            if level >= CONTAINER_LEVELS or element.tag in ("body", "html", "main", "article"):
                return None
            kind = _class_kind(element)
            if not kind:
                continue
            kin = [e for e in tree.iter(element.tag) if _class_kind(e) == kind]
            if 1 < len(kin) <= MAX_PARTS:
                return element, kin
        return None
    return None


def _reads_like_a_part(text: str) -> bool:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return False
    prose = sum(map(reads_like_body, paragraphs))
    cut_short = sum(p.rstrip().endswith(("...", "\u2026")) for p in paragraphs)
    return prose >= PART_PROSE_SHARE * len(paragraphs) and cut_short < PART_ELLIPSIS_SHARE * len(paragraphs)


def split_article(tree: Any, text: str, options: dict[str, Any]) -> str | None:
    """The whole article when the page splits it over several containers of one kind and the extraction
    took one of them (trafilatura keeps the best-scoring container): the extraction and the other parts
    below it that read like article text, in page order, up to a headline (`h1`) between them. None when
    there are no such parts."""
    probes = _paragraph_probes(text)
    found = _container(tree, probes[0]) if probes else None
    if found is None:
        return None
    own, kin = found
    order = {element: n for n, element in enumerate(tree.iter())}
    headlines = [order[h] for h in tree.iter("h1")]
    start = order[own]
    parts = [e for e in kin if order[e] >= start and not any(start < h < order[e] for h in headlines)]
    parts = [e for e in parts if not any(a in parts for a in e.iterancestors())]
    flat = " ".join(text.split())
    texts, added = [], 0
    for part in sorted(parts, key=order.__getitem__):  # one at a time: of several, trafilatura keeps one
        if part is own:
            texts.append(text)
            continue
        lead = " ".join(part.text_content().split())[:_PARAGRAPH_PROBE]
        if not lead or lead in flat:
            continue  # the extraction holds this part already (it took their common ancestor)
        part_text = extract_alone(copy.deepcopy(part), fast=True, **options)
        probes = _paragraph_probes(part_text)
        held = sum(probe in flat for probe in probes)  # a quote the page repeats may be held; the part is not
        if len(part_text) >= MIN_PART and 2 * held < len(probes) and _reads_like_a_part(part_text):
            texts.append(part_text)
            added += 1
    return "\n".join(texts) if added else None


#: The page's summary as it declares it; printed above the article, it is the article's standfirst.
_DESCRIPTIONS = ("//meta[@property='og:description']/@content|//meta[@name='description']/@content"
                 "|//meta[@name='twitter:description']/@content")
#: How many lines of the page text above the article's first paragraph the standfirst may be printed.
STANDFIRST_LINES = 15


def with_standfirst(text: str, tree: Any, whole_page: str) -> str:
    """The extraction with the article's standfirst before it, where the extractor left it out.

    trafilatura drops the summary paragraph that pages print between the headline and the body (in the
    article's header). The page declares it as its description; where a line of the page is exactly that
    description, printed a few lines above the extraction's first paragraph, and reads like article text,
    it is the standfirst (a description only in the meta tags, or printed elsewhere, is not added).
    """
    descriptions = {" ".join(str(d).split()) for d in tree.xpath(_DESCRIPTIONS)} - {""}
    paragraphs = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    if not descriptions or not paragraphs:
        return text
    flat = " ".join(paragraphs)
    descriptions = {d for d in descriptions if d not in flat and reads_like_body(d)}
    if not descriptions:
        return text
    lines = whole_page.split("\n")
    first = paragraphs[0][:_PARAGRAPH_PROBE]
    start = next((n for n, line in enumerate(lines) if line.startswith(first)), None)
    if start is None:
        return text
    for line in lines[max(0, start - STANDFIRST_LINES): start]:
        if line in descriptions:
            return line + "\n" + text
    return text


#: Nesting libxml2 parses with its `huge` option (without it: 256 levels, and an article nested deeper in
#: `<div>`s comes out empty).
HUGE_DEPTH = 2048


def _depth_exceeded(parser: Any) -> bool:
    return any("Excessive depth" in entry.message for entry in parser.error_log)


@functools.cache
def _huge_parser() -> Any:
    from lxml import html as lxml_html

    return lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                remove_pis=True, huge_tree=True)


def _parse(markup: str) -> tuple[Any, str | None]:
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


#: The article's section as the page declares it (Open Graph's `article:section`).
_SECTIONS = "//meta[@property='article:section']/@content"


def extract_html(doc: Document, spec_for: Callable[[str | None], HtmlSpec | None] = lambda _url: None) -> Document:
    """Replace an HTML page by its main text (trafilatura) and keep the page's metadata aside.

    The page is parsed once, by trafilatura's loader; the whole-page text, the declared metadata and the
    site's XPaths are read from that tree before trafilatura extracts from its own copy of it.
    `spec_for(url)` gives the HTML rules of the site the URL belongs to; a page given without a URL is
    placed by its canonical URL.
    """
    if doc.format != "html":
        return doc

    warnings = doc.warnings
    if doc.raw is not None:
        markup, warning = decode_html(doc.raw)
        warnings += (warning,) if warning else ()
    else:
        markup = doc.text
    markup, tamed = tame_markup(markup)
    warnings += (tamed,) if tamed else ()
    tree, too_deep = _parse(markup)
    warnings += (too_deep,) if too_deep else ()
    if tree is None:
        raise DocumentError("the HTML could not be parsed (no document element); nothing to clean")
    url = doc.url or _page_url(tree)
    spec = spec_for(url)
    prune = list(spec.prune) if spec else None
    meta: dict[str, Any] = page_metadata(tree, url)
    objects = linked_data(tree)
    meta["declared_authors"], meta["publishers"] = declared_authors(objects)
    if spec:
        for field, expressions in spec.meta.items():
            value = _xpath_values(tree, expressions)
            if value:
                meta[f"site:{field}"] = value
    meta["page_text"] = page_text(tree)
    text = main_text(tree, url, prune, meta["page_text"])
    declared = declared_body(objects)
    if not declared and len(text) < ARTICLE_LENGTH:  # empty or short: the page may render it from script data
        declared = script_body(tree)
    if declared and _holds_extraction(declared, text):
        meta["visible_text"] = text  # what the page prints: the page pass finds the article's place by it
        text = declared
    text = with_standfirst(text, tree, meta["page_text"])
    if spec and spec.body:
        body = tree.xpath(spec.body[0])
        if body:
            text = extract_alone(body[0], url=url, include_comments=False, prune_xpath=prune) or text
    title = meta.get("title")
    if doc.given_title:
        given: str | None = doc.given_title
    else:
        sections = tuple(" ".join(str(s).split()) for s in tree.xpath(_SECTIONS) if str(s).strip())
        title = printed_headline(title, _headlines(tree, objects)) if title else None
        given = _strip_site_suffix(title, meta.get("sitename"), meta.get("hostname"), sections) if title else None
    return dataclasses.replace(
        doc, text=text, raw=None, html_meta=meta, given_title=given, warnings=warnings, url=url,
    )
