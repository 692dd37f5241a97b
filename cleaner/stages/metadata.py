"""Stage 7: turn the raw values rules captured into metadata fields.

Site rules run before generic ones, so for single-valued fields the first
capture wins and a site's pattern beats a generic guess. Person lists are split
and filtered (initials such as `aik/maa` are credits, not names); the dateline
is title-cased; dates become ISO 8601.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import regex

from cleaner.dates import parse_published
from cleaner.document import Document
from cleaner.language import detect_language
from cleaner.ruleset.model import RuleSet
from cleaner.urls import registered_domain, url_published, url_section

#: Between names: dashes, commas and the like, and "and" in the languages of our pages (Indonesian, English,
#: German, Dutch, the Scandinavian ones, French, Spanish, Italian and Portuguese).
_NAME_SPLIT = regex.compile(r"\s+[-\u2013\u2014]\s+|\s*[,;|&/]\s*|\s+(?:dan|and|und|en|og|och|et|y|e)\s+")
_INITIALS = regex.compile(r"[a-z]{1,4}|[A-Z]{1,3}")
_HAS_LETTER = regex.compile(r"\p{L}")
#: A role printed with the name ("Kontributor Lhokseumawe, Masriadi", "Tim Redaksi"): not a person.
_ROLE = regex.compile(
    r"(?i:kontributor|koresponden|wartawan|jurnalis|reporter|penulis|editor|redaktur|tim|team|staff|staf|"
    r"redaksi|laporan|pewarta|fotografer|contributor|correspondent|journalist|journalistin|redakteur|"
    r"redakteurin|korrespondent|korrespondentin|autor|autorin|author)\b.*"
)
#: A role written after the name ("신현주 기자", "松岡大地記者"), and "for" the outlet ("Ann Lee for Dailymail.com").
_ROLE_AFTER = regex.compile(
    r"\s*(?:\uae30\uc790|\ud2b9\ud30c\uc6d0|\u8a18\u8005|\u7279\u6d3e\u54e1)$"  # reporter, correspondent (ko, ja/zh)
    r"|\s+(?i:for)\s+\S+\.\p{L}{2,}$"
)
_LIST_SPLIT = regex.compile(r"\s*[,;|#]\s*")
_TRIM = " \t.,;:-\u2013\u2014()[]"
#: The generic rule that reads a bare section name above the headline (a weaker sign than a trail).
_SECTION_NAME = "navigation/section-name"
#: Fields that hold several values.
LIST_FIELDS = ("authors", "editors", "tags", "credits")
FIELDS = (
    "title", "outlet", "authors", "editors", "published", "dateline", "category", "tags", "agency", "credits",
    "language",
)


def split_names(value: str) -> list[str]:
    """Person names from a byline value: `A - B`, `A, B dan C`; initials and noise dropped."""
    names = []
    for part in _NAME_SPLIT.split(value):
        name = _ROLE_AFTER.sub("", " ".join(part.strip(_TRIM).split()))
        if not name or not _HAS_LETTER.search(name) or _INITIALS.fullmatch(name) or len(name.split()) > 6:
            continue
        if _ROLE.fullmatch(name):
            continue
        if name.isupper() and len(name) > 3:  # a sign-off in capitals: "DINI TEJA" is Dini Teja
            name = title_case(name)
        names.append(name)
    return names


def title_case(place: str) -> str:
    """`BANDA ACEH` -> `Banda Aceh`; a place already in mixed case is kept as written."""
    place = " ".join(place.strip(_TRIM).split())
    if place.isupper() or place.islower():
        return " ".join(w[:1].upper() + w[1:].lower() for w in place.split())
    return place


def _same_name(value: str) -> str:
    """A name as compared for duplicates: "Emma-Mackenzie" (a URL slug) is "Emma Mackenzie"."""
    return " ".join(value.replace("-", " ").split()).casefold()


def _add_unique(target: list[str], values: list[str]) -> None:
    seen = {_same_name(v) for v in target}
    for value in values:
        if _same_name(value) not in seen:
            target.append(value)
            seen.add(_same_name(value))


def extract_metadata(doc: Document, site: RuleSet | None) -> Document:
    meta: dict[str, Any] = {f: ([] if f in LIST_FIELDS else None) for f in FIELDS}
    meta["title"] = doc.title
    meta["outlet"] = site.name if site and site.name else None
    section = None
    for capture in doc.captures:
        field, value = capture.field, capture.value
        if field in ("authors", "editors"):
            _add_unique(meta[field], split_names(value))
        elif field == "credits":
            _add_unique(meta[field], [c for c in regex.split(r"[/,\s]+", value.strip(_TRIM)) if c])
        elif field == "tags":
            _add_unique(meta[field], [t.strip(_TRIM) for t in _LIST_SPLIT.split(value) if t.strip(_TRIM)])
        elif capture.rule == _SECTION_NAME:
            section = title_case(value)  # of the section names above the headline, the last (closest) wins
        elif meta[field] is not None:
            continue
        elif field == "published":
            meta[field] = parse_published(value)
        elif field == "dateline":
            meta[field] = title_case(value) or None
        else:
            meta[field] = " ".join(value.strip(_TRIM).split()) or None
    meta["category"] = meta["category"] or section  # a breadcrumb trail or a site's rule beats a bare name
    _fill_from_html(meta, doc.html_meta)
    _fill_from_url_and_text(meta, doc, site)
    return dataclasses.replace(doc, metadata=meta)


def _fill_from_html(meta: dict[str, Any], html: dict[str, Any]) -> None:
    """HTML pages: the site's `html: meta:` XPaths, then trafilatura's metadata, fill what rules did not."""
    if not html:
        return
    for field in ("authors", "editors"):
        if not meta[field]:
            _add_unique(meta[field], split_names(str(html.get(f"site:{field}") or "")))
    if not meta["authors"] and html.get("author"):
        _add_unique(meta["authors"], split_names(str(html["author"]).replace(";", ",")))
    if meta["published"] is None:
        stated = html.get("site:published")
        meta["published"] = (parse_published(stated) if stated else None) or html.get("date") or None
    for field in ("title", "category", "outlet"):
        if meta[field] is None and html.get(f"site:{field}"):
            meta[field] = html[f"site:{field}"]
    if meta["outlet"] is None and html.get("sitename"):
        meta["outlet"] = " ".join(str(html["sitename"]).split())
    if meta["category"] is None and html.get("categories"):
        meta["category"] = str(html["categories"][0])
    tags = [str(t) for t in html.get("tags") or []]
    if html.get("site:tags"):
        tags.extend(t.strip() for t in _LIST_SPLIT.split(str(html["site:tags"])) if t.strip())
    _add_unique(meta["tags"], tags)


def _fill_from_url_and_text(meta: dict[str, Any], doc: Document, site: RuleSet | None) -> None:
    """Fields the page did not state: the URL's date, domain and section, and the body's language.

    A printed date line always beats the URL's; the outlet falls back from the site rule's name to the
    outlet named in the dateline (captured above) to the URL's registered domain.
    """
    meta["published"] = meta["published"] or url_published(doc.url)
    meta["outlet"] = meta["outlet"] or registered_domain(doc.url)
    meta["category"] = meta["category"] or url_section(doc.url)
    language = site.language if site and site.language else None
    meta["language"] = language or detect_language(doc.body_text())
