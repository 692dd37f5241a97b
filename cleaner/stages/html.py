"""Stage 0 for HTML input: the page's main text and metadata through trafilatura.

HTML bytes are decoded before trafilatura sees them: UTF-8 first whatever the page declares (real pages
declare iso-8859-1 and hold UTF-8), then the declared charset, then charset-normalizer. A site rule's
`html:` section adds elements to prune before extraction, an element that holds the body, and XPath
expressions for metadata. The extracted text then goes through the same stages as text input, so
generic and site rules remove what trafilatura leaves (related links, bylines, datelines, captions).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import charset_normalizer
import regex

from cleaner.document import Document
from cleaner.errors import DocumentError
from cleaner.ruleset.model import HtmlSpec
from cleaner.stages.strip import TITLE_SEPARATORS

_DECLARED = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", regex.IGNORECASE)
_HTML_START = regex.compile(r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            regex.IGNORECASE | regex.DOTALL)
_NOT_WORD = regex.compile(r"[\W_]+")


def looks_like_html(head: str | bytes) -> bool:
    """Sniff a page: an HTML document starts with a doctype, `<html>`, `<head>` or `<body>` tag."""
    text = head[:4096].decode("utf-8", errors="replace") if isinstance(head, bytes) else head[:4096]
    return _HTML_START.match(text) is not None


def decode_html(raw: bytes) -> tuple[str, str | None]:
    """HTML bytes to text; a warning when the page's declared charset was wrong or missing."""
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


def _strip_site_suffix(title: str, sitename: str | None, hostname: str | None) -> str:
    """`Headline - Kompas.com Regional` -> `Headline`: drop a trailing part that names the site."""
    marks = {_NOT_WORD.sub("", m).casefold() for m in (sitename, (hostname or "").split(".")[0]) if m}
    marks.discard("")
    def names_site(part: str) -> bool:
        folded = _NOT_WORD.sub("", part).casefold()
        return bool(folded) and any(mark in folded or folded in mark for mark in marks)

    if ": " in title:  # "KapanLagi.com: Headline"
        head, rest = title.split(": ", 1)
        if rest.strip() and names_site(head):
            title = rest
    for sep in TITLE_SEPARATORS:
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            if head.strip() and names_site(tail):
                return head.strip()
    return title.strip()


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
            if value.startswith(("http://", "https://")):
                return value
    return None


#: Elements whose text starts a new line in the full-page rendering (what get_text() scrapers save).
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul", "title", "time", "span.byline",
})
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "select", "option"})


def page_text(tree: Any) -> str:
    """The whole page as lines of text, blocks on their own lines: where bylines and date lines live."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None or tag in _SKIP:  # comments (conditional ones hold markup), scripts, styles
            if element.tail:
                parts.append(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def extract_html(doc: Document, spec_for: Callable[[str | None], HtmlSpec | None] = lambda _url: None) -> Document:
    """Replace an HTML page by its main text (trafilatura) and keep trafilatura's metadata aside.

    `spec_for(url)` gives the HTML rules of the site the URL belongs to; a page given without a URL is
    placed by its canonical URL.
    """
    if doc.format != "html":
        return doc
    import trafilatura  # imported late: text-only runs never pay for it
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    warnings = doc.warnings
    if doc.raw is not None:
        markup, warning = decode_html(doc.raw)
        warnings += (warning,) if warning else ()
    else:
        markup = doc.text
    try:
        tree = lxml_html.document_fromstring(markup.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except Exception as exc:  # lxml's ParserError (a ValueError) and others, for empty or hopeless markup
        raise DocumentError(f"the HTML could not be parsed ({exc}); nothing to clean") from None
    url = doc.url or _page_url(tree)
    spec = spec_for(url)
    prune = list(spec.prune) if spec else None
    extracted: Any = trafilatura.bare_extraction(  # the markup, not our tree: trafilatura prunes the tree it gets
        markup, url=url, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True,
        prune_xpath=prune or None,
    )
    meta: dict[str, Any] = {}
    text = ""
    if extracted is not None:
        meta = {k: getattr(extracted, k, None) for k in ("title", "author", "date", "sitename", "categories",
                                                          "tags", "hostname")}
        text = extracted.text or ""
    if spec:
        for field, expressions in spec.meta.items():
            value = _xpath_values(tree, expressions)
            if value:
                meta[f"site:{field}"] = value
    if spec and spec.body:
        body = tree.xpath(spec.body[0])
        if body:
            wrapper = lxml_html.document_fromstring("<html><body></body></html>")
            wrapper.body.append(body[0])
            inner: Any = trafilatura.bare_extraction(wrapper, url=url, include_comments=False, prune_xpath=prune)
            if inner is not None and inner.text:
                text = inner.text
    title = meta.get("title")
    if doc.given_title:
        given: str | None = doc.given_title
    else:
        given = _strip_site_suffix(title, meta.get("sitename"), meta.get("hostname")) if title else None
    meta["page_text"] = page_text(tree)
    return dataclasses.replace(
        doc, text=text, raw=None, html_meta=meta, given_title=given, warnings=warnings, url=url,
    )
