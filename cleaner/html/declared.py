"""What a page declares about itself: meta tags, JSON-LD (its `articleBody`, authors), creator tags, its own
URL, and the whole page rendered as text for the metadata-only page pass."""

from __future__ import annotations

import contextlib
import functools
import json
from typing import Any

import regex

from cleaner.document import HtmlFacts
from cleaner.urls import registered_domain, split_url


def xpath_values(tree: Any, expressions: tuple[str, ...]) -> str | None:
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


def page_url(tree: Any) -> str | None:
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


def page_metadata(tree: Any, url: str | None) -> HtmlFacts:
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
    return HtmlFacts(title=title, author=_creators(tree) or found.author, date=date, sitename=sitename,
                     hostname=hostname, categories=tuple(found.categories or ()), tags=tuple(found.tags or ()))


#: A JSON-LD `articleBody` replaces the visible extraction when it is this many times longer (plus
#: `DECLARED_MARGIN` characters) and holds it (`holds_extraction`): the page renders its article from
#: script data, or the extractor kept only a part.
DECLARED_RATIO = 1.5
DECLARED_MARGIN = 200
_LD_JSON = '//script[@type="application/ld+json"]/text()'
HTML_IN_TEXT = regex.compile(r"<(?:p|div|br|h[1-6]|li)\b", regex.IGNORECASE)


#: Share of the visible extraction's paragraphs a declared body must hold to replace it.
DECLARED_OVERLAP = 0.8
#: Characters of a paragraph looked for in the declared body (its start: a declared body may join lines).
PARAGRAPH_PROBE = 60


def paragraph_probes(text: str) -> list[str]:
    """The start of each paragraph of `text` long enough to be looked for in another text."""
    return [" ".join(p.split())[:PARAGRAPH_PROBE] for p in text.split("\n") if len(p) >= PARAGRAPH_PROBE]


def holds_extraction(declared: str, text: str, ratio: float = DECLARED_RATIO, margin: int = DECLARED_MARGIN) -> bool:
    """The declared body is far longer than the extraction and holds its paragraphs: the same article, whole.

    A longer `articleBody` that is another text (an earlier version, another story of the page) holds few
    of them and is not taken.
    """
    if len(declared) <= ratio * len(text) + margin:
        return False
    probes = paragraph_probes(text)
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
    if HTML_IN_TEXT.search(best):
        from lxml import html as lxml_html

        with contextlib.suppress(Exception):
            best = page_text(lxml_html.fragment_fromstring(best, create_parent="div"))
    return best.strip() or None


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
