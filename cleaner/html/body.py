"""The article's body from a page: trafilatura (fast mode first, the full cascade where it could change the
result), an article split over containers read whole, the standfirst put back, a body rendered from script
data."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import regex

from cleaner.html.declared import HTML_IN_TEXT, PARAGRAPH_PROBE, holds_extraction, page_text, paragraph_probes
from cleaner.text.prose import reads_like_body

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


def script_values(tree: Any) -> list[Any]:
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
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    wrapper = lxml_html.document_fromstring("<html><body></body></html>")
    wrapper.body.append(element)
    extracted: Any = trafilatura.bare_extraction(wrapper, **options)
    return getattr(extracted, "text", None) or ""


def script_body(tree: Any) -> str | None:
    """The article as the page's script data holds it: of the strings there that hold HTML paragraphs
    or line breaks, the one with the most prose (see `page_prose`), as trafilatura extracts it."""
    from lxml import html as lxml_html

    best, best_prose, seen, markup = "", 0, 0, ""
    stack = script_values(tree)
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
            if not HTML_IN_TEXT.search(value):
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
    if whole and holds_extraction(whole, text, ratio=1.0, margin=SPLIT_GAIN):
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
    probes = paragraph_probes(text)
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
        lead = " ".join(part.text_content().split())[:PARAGRAPH_PROBE]
        if not lead or lead in flat:
            continue  # the extraction holds this part already (it took their common ancestor)
        part_text = extract_alone(copy.deepcopy(part), fast=True, **options)
        probes = paragraph_probes(part_text)
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
    first = paragraphs[0][:PARAGRAPH_PROBE]
    start = next((n for n, line in enumerate(lines) if line.startswith(first)), None)
    if start is None:
        return text
    for line in lines[max(0, start - STANDFIRST_LINES): start]:
        if line in descriptions:
            return line + "\n" + text
    return text
