"""Stage 7: turn the raw values rules captured into metadata fields.

Site rules run before generic ones, so for single-valued fields the first
capture wins and a site's pattern beats a generic guess. Person lists are split
and filtered (initials such as `aik/maa` are credits, not names); the dateline
is title-cased; dates become ISO 8601.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import regex

from cleaner.controls import strip_controls
from cleaner.dates import parse_published
from cleaner.document import Document, HtmlFacts
from cleaner.fields import LIST_FIELDS, METADATA_FIELDS
from cleaner.language import detect_language
from cleaner.ruleset.model import RuleSet
from cleaner.steps import Step
from cleaner.text.names import TRIM, split_names, title_case
from cleaner.urls import registered_domain, split_url, url_published, url_section

_LIST_SPLIT = regex.compile(r"\s*[,;|#]\s*")


def _same_name(value: str) -> str:
    """A name as compared for duplicates: "Emma-Mackenzie" (a URL slug) is "Emma Mackenzie", "Sarah E. Needleman"
    is "Sarah E Needleman"."""
    return " ".join(value.replace("-", " ").replace(".", " ").split()).casefold()


def _add_unique(target: list[str], values: list[str]) -> None:
    seen = {_same_name(v) for v in target}
    for value in values:
        if _same_name(value) not in seen:
            target.append(value)
            seen.add(_same_name(value))


def extract_metadata(doc: Document, site: RuleSet | None) -> Document:
    meta: dict[str, Any] = {f: ([] if f in LIST_FIELDS else None) for f in METADATA_FIELDS}
    meta["title"] = doc.title
    # A site rule that covers a family of outlets (`family: true`: the Tribun network's regional papers at
    # bangka.tribunnews.com, bangkapos.com): its name is the family's, so the page's own outlet (its dateline's,
    # else its host) names a member; the rule's name names only pages of its first domain.
    member = _family_member(site, doc.url)
    meta["outlet"] = site.name if site and site.name and member is None else None
    section = None
    bylines: list[tuple[list[str], bool]] = []  # the names of each author capture, and if below the body
    guessed: set[str] = set()  # names read from a bare line of names
    for capture in doc.captures:
        field, value = capture.field, capture.value
        if field in ("authors", "editors"):
            names = split_names(value)
            _add_unique(meta[field], names)
            if field == "authors":
                bylines.append((names, capture.below_body))
            if capture.rule == Step.NAMES_ABOVE_BODY:  # a guess: a kicker that is a tag or the section is no byline
                guessed.update(_same_name(n) for n in names)
        elif field == "credits":
            _add_unique(meta[field], [c for c in regex.split(r"[/,\s]+", value.strip(TRIM)) if c])
        elif field == "tags":
            _add_unique(meta[field], [t.strip(TRIM) for t in _LIST_SPLIT.split(value) if t.strip(TRIM)])
        elif field == "section":
            section = title_case(value)  # of the section names above the headline, the last (closest) wins
        elif meta[field] is not None:
            continue
        elif field == "published":
            meta[field] = parse_published(value)
        elif field == "dateline":
            meta[field] = title_case(value) or None
        else:
            meta[field] = " ".join(value.strip(TRIM).split()) or None
    if any(below for _, below in bylines) and not all(below for _, below in bylines):
        meta["authors"] = []  # bylines of the article's own: those printed well below it are teasers'
        for names, below in bylines:
            if not below:
                _add_unique(meta["authors"], names)
    meta["category"] = meta["category"] or section  # a breadcrumb trail or a site's rule beats a bare name
    facts = _facts_without_controls(doc.html)  # a page's own values: `Name\x1b]2;X\x07` is one author
    marks = outlet_marks(facts, meta["outlet"], registered_domain(doc.url))
    if facts is not None:
        _fill_from_html(meta, facts, marks, bylines)
    for field in ("authors", "editors"):  # "By Lesotho Times": the outlet is not a person
        meta[field] = [n for n in meta[field] if not names_outlet(n, marks)]
    if guessed:  # "Premier League" above the body, and among the page's tags: a kicker
        labels = {_same_name(str(label)) for label in [*meta["tags"], meta["category"]] if label}
        meta["authors"] = [n for n in meta["authors"] if not (_same_name(n) in guessed and _same_name(n) in labels)]
    _fill_from_url_and_text(meta, doc, site)
    if member is not None and meta["outlet"] in (None, site.name if site else None, registered_domain(doc.url)):
        meta["outlet"] = member  # no dateline named the member: its host does
    return dataclasses.replace(doc, metadata=_without_controls(meta))


#: Subdomains that are the outlet's own pages, not another member of a family of outlets.
_OWN_SUBDOMAINS = ("www.", "m.", "amp.", "mobile.", "news.", "en.")


def _family_member(site: RuleSet | None, url: str | None) -> str | None:
    """The host of a page of a family site rule that is not its first domain's own ("bangka.tribunnews.com",
    "www.bangkapos.com"); None for other rules, the first domain's own pages and pages without a URL."""
    if site is None or not site.family or not url or not site.domains:
        return None
    parts = split_url(url)
    host = (parts.hostname or "").lower() if parts is not None else ""
    own = site.domains[0]
    if not host or host == own or any(host == prefix + own for prefix in _OWN_SUBDOMAINS):
        return None
    return host.removeprefix("www.")


def _facts_without_controls(facts: HtmlFacts | None) -> HtmlFacts | None:
    """A page's declared values without control characters, field by field."""
    if facts is None:
        return None
    return dataclasses.replace(facts, **{f.name: _without_controls(getattr(facts, f.name))
                                         for f in dataclasses.fields(facts)})


def _without_controls(value: Any) -> Any:
    """Strings, and those in lists and mappings, without control characters (see `cleaner.controls`)."""
    if isinstance(value, str):
        return strip_controls(value)
    if type(value) in (list, tuple):
        return type(value)(_without_controls(item) for item in value)
    if isinstance(value, dict):
        return {key: _without_controls(item) for key, item in value.items()}
    return value


_NOT_WORD = regex.compile(r"[\W_]+")
#: Words around an outlet's name that its author field adds or drops ("Het Nieuwsblad", "Nieuwsblad Be").
_OUTLET_ARTICLE = regex.compile(r"^(?:the|der|die|das|het|de|le|la|les|el|il|lo)\s+", regex.IGNORECASE)
_DOMAIN_IN = regex.compile(r"\b(?:www\.)?((?:[\w-]+\.)+\p{L}{2,})\b")
_TOP_LEVEL = regex.compile(r"(?:com|net|org|de|be|nl|at|ch|co|uk|fr|es|it|pl|no|se|dk|fi|jp|kr|id|au|ca|online)$")


def _fold(value: str) -> str:
    return _NOT_WORD.sub("", _OUTLET_ARTICLE.sub("", value.strip())).casefold()


def outlet_marks(html: HtmlFacts | None, outlet: str | None = None, host: str | None = None) -> set[str]:
    """The outlet's names as an author field may repeat them: the page's site name and publishers, the site
    rule's `outlet`, and each domain (the page's, the URL's `host`) whole and by its first label."""
    names = [html.sitename if html else None, outlet, *(html.publishers if html else ())]
    for domain in (html.hostname if html else None, host):
        if domain:
            names += [domain, str(domain).split(".")[0]]
    return {_fold(str(name)) for name in names if name} - {""}


def names_outlet(name: str, marks: set[str]) -> bool:
    """`name` is the outlet, not a person: "Lesotho Times", "STERN.de", "Deutsche Welle (www.dw.com)"."""
    candidates = [name, *(found.group(1) for found in _DOMAIN_IN.finditer(name))]
    for candidate in candidates:
        folded = _fold(candidate)
        if folded in marks or any(folded.startswith(m) and _TOP_LEVEL.fullmatch(folded[len(m):]) for m in marks):
            return True
    return False


def _site_published(facts: HtmlFacts) -> str | None:
    stated = facts.site_values.get("published")
    return parse_published(stated) if stated else None


#: Where a single-valued field the rules left empty is filled from on an HTML page, in order of precedence:
#: a site rule's `html: meta:` XPath first, then what the page declares (meta tags, JSON-LD, htmldate).
DECLARED_SOURCES: dict[str, tuple[Callable[[HtmlFacts], str | None], ...]] = {
    "published": (_site_published, lambda facts: facts.date),
    "title": (lambda facts: facts.site_values.get("title"),),
    "category": (lambda facts: facts.site_values.get("category"),
                 lambda facts: str(facts.categories[0]) if facts.categories else None),
    "outlet": (lambda facts: facts.site_values.get("outlet"),
               lambda facts: " ".join(facts.sitename.split()) if facts.sitename else None),
}


def declared_value(field: str, facts: HtmlFacts) -> str | None:
    """The first value `DECLARED_SOURCES` finds for `field` on a page, or None."""
    return next((value for source in DECLARED_SOURCES[field] if (value := source(facts))), None)


def _fill_from_html(meta: dict[str, Any], html: HtmlFacts, marks: set[str],
                    bylines: list[tuple[list[str], bool]]) -> None:
    """HTML pages: the site's `html: meta:` XPaths, then the page's declared metadata, fill what rules did not
    (the single-valued fields in the order `DECLARED_SOURCES` declares).

    The article's JSON-LD authors are the page's own list of them. Where the rules read printed bylines,
    those that name one of the declared authors stay with all their names (a co-author the JSON-LD left
    out is printed there) and the declared names are added; a byline naming none of them is another
    article's (under a teaser headline). Where no printed byline names a declared author, the printed ones
    above the body stand (a page's JSON-LD can name its CMS account); those below it are teasers'. An
    author that is the outlet itself (`marks`: "Lesotho Times", the publisher) is dropped.
    """
    site = html.site_values
    for field in ("authors", "editors"):
        if not meta[field]:
            _add_unique(meta[field], split_names(site.get(field) or ""))
    declared = [n for value in html.declared_authors for n in split_names(value, initials=True)
                if not names_outlet(n, marks)]
    if declared and not site.get("authors"):
        wanted = {_same_name(n) for n in declared}
        confirmed = [names for names, _ in bylines if wanted & {_same_name(n) for n in names}]
        printed = [] if confirmed else [names for names, below_body in bylines if not below_body]
        meta["authors"] = []
        for names in confirmed or printed:
            _add_unique(meta["authors"], names)
        if not printed:
            _add_unique(meta["authors"], declared)
    if not meta["authors"] and html.author:
        _add_unique(meta["authors"], [n for n in split_names(html.author.replace(";", ","))
                                      if not names_outlet(n, marks)])
    for field in DECLARED_SOURCES:
        if meta[field] is None:
            meta[field] = declared_value(field, html)
    # a page's keywords often come as one string ("India, Kashmir, missile"): split into tags
    tags = [part.strip() for t in html.tags for part in _LIST_SPLIT.split(str(t)) if part.strip()]
    if site.get("tags"):
        tags.extend(t.strip() for t in _LIST_SPLIT.split(site["tags"]) if t.strip())
    _add_unique(meta["tags"], tags)


def _fill_from_url_and_text(meta: dict[str, Any], doc: Document, site: RuleSet | None) -> None:
    """Fields the page did not state: the URL's date, domain and section, and the body's language.

    A printed date line always beats the URL's; the outlet falls back from the site rule's name to the
    outlet named in the dateline (captured above) to the URL's registered domain.
    """
    meta["published"] = meta["published"] or url_published(doc.url)
    meta["outlet"] = meta["outlet"] or registered_domain(doc.url)
    meta["category"] = meta["category"] or url_section(doc.url)
    language = site.language if site and site.language else doc.language
    meta["language"] = language or detect_language(doc.body_text())
