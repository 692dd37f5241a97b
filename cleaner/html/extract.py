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

from cleaner.document import Document
from cleaner.errors import DocumentError
from cleaner.html.body import ARTICLE_LENGTH, extract_alone, main_text, script_body, with_standfirst
from cleaner.html.declared import (
    declared_authors,
    declared_body,
    holds_extraction,
    linked_data,
    page_metadata,
    page_text,
    page_url,
    xpath_values,
)
from cleaner.html.parse import decode_html, parse, tame_markup
from cleaner.html.title import headlines, printed_headline, strip_site_suffix
from cleaner.ruleset.model import HtmlSpec

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
    tree, too_deep = parse(markup)
    warnings += (too_deep,) if too_deep else ()
    if tree is None:
        raise DocumentError("the HTML could not be parsed (no document element); nothing to clean")
    url = doc.url or page_url(tree)
    spec = spec_for(url)
    prune = list(spec.prune) if spec else None
    facts = page_metadata(tree, url)
    objects = linked_data(tree)
    declared_people, publishers = declared_authors(objects)
    site_values: dict[str, str] = {}
    if spec:
        for field, expressions in spec.meta.items():
            value = xpath_values(tree, expressions)
            if value:
                site_values[field] = value
    whole_page = page_text(tree)
    text = main_text(tree, url, prune, whole_page)
    declared = declared_body(objects)
    visible: str | None = None
    if not declared and len(text) < ARTICLE_LENGTH:  # empty or short: the page may render it from script data
        declared = script_body(tree)
    if declared and holds_extraction(declared, text):
        visible = text  # what the page prints: the page pass finds the article's place by it
        text = declared
    text = with_standfirst(text, tree, whole_page)
    if spec and spec.body:
        body = tree.xpath(spec.body[0])
        if body:
            text = extract_alone(body[0], url=url, include_comments=False, prune_xpath=prune) or text
    facts = dataclasses.replace(facts, declared_authors=tuple(declared_people), publishers=tuple(publishers),
                                site_values=site_values, page_text=whole_page, visible_text=visible)
    title = facts.title
    if doc.given_title:
        given: str | None = doc.given_title
    else:
        sections = tuple(" ".join(str(s).split()) for s in tree.xpath(_SECTIONS) if str(s).strip())
        title = printed_headline(title, headlines(tree, objects)) if title else None
        given = strip_site_suffix(title, facts.sitename, facts.hostname, sections) if title else None
    return dataclasses.replace(
        doc, text=text, raw=None, html=facts, given_title=given, warnings=warnings, url=url,
    )
