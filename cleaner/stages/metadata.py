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

from cleaner.controls import strip_controls
from cleaner.dates import parse_published
from cleaner.document import Document
from cleaner.fields import LIST_FIELDS, METADATA_FIELDS
from cleaner.language import detect_language
from cleaner.ruleset.model import RuleSet
from cleaner.steps import Step
from cleaner.urls import registered_domain, split_url, url_published, url_section

#: Between names: dashes, commas and the like, and "and" in the languages of our pages (Indonesian, English,
#: German, Dutch, the Scandinavian ones, French, Spanish, Italian and Portuguese).
_NAME_SPLIT = regex.compile(r"\s+[-\u2013\u2014]\s+|\s*[,;|&/]\s*|\s+(?:dan|and|und|en|og|och|et|y|e)\s+")
_INITIALS = regex.compile(r"[a-z]{1,4}|[A-Z]{1,3}")
_HAS_LETTER = regex.compile(r"\p{L}")
#: A role printed with the name ("Kontributor Lhokseumawe, Masriadi", "Tim Redaksi"): not a person.
_ROLE = regex.compile(
    r"(?i:kontributor|koresponden|wartawan|jurnalis|reporter|penulis|editor|redaktur|team|staff|staf|"
    r"redaksi|laporan|pewarta|fotografer|contributor|correspondent|journalist|journalistin|redakteur|"
    r"redakteurin|korrespondent|korrespondentin|autor|autorin|author|admin|administrator|webmaster)\b.*"
    # a job title after the outlet or desk: "AP National Political Writer", "Senior Correspondent"
    r"|.*\b(?i:writer|correspondent|reporter|editor|columnist|contributor)"
    # Indonesian "Tim" (team) before a desk or the outlet ("Tim Redaksi", "Tim detikNews", "Tim CNN"), but
    # not the English first name ("Tim Hanlon")
    r"|(?i:tim)(?:\s+(?:(?i:redaksi|liputan|kreatif|riset|humas|media|cek)\b|\p{Ll}|\S*\d|\p{Lu}{2,}|\p{Ll}+\p{Lu}).*)?"
)
#: A role written after the name ("신현주 기자", "松岡大地記者"), and "for" the outlet ("Ann Lee for Dailymail.com").
_ROLE_AFTER = regex.compile(
    r"\s*(?:\uae30\uc790|\ud2b9\ud30c\uc6d0|\u8a18\u8005|\u7279\u6d3e\u54e1)$"  # reporter, correspondent (ko, ja/zh)
    r"|\s+(?i:for)\s+\S+\.\p{L}{2,}$"
)
#: The byline's own word left on a declared name ("By TOM KRISHER" in a page's JSON-LD).
_BY = regex.compile(r"^(?i:by|oleh|von|av|par|por|door)\s*:?\s+(?=\p{Lu})")
_LIST_SPLIT = regex.compile(r"\s*[,;|#]\s*")
_TRIM = " \t.,;:-\u2013\u2014()[]"
#: The generic rule that reads a bare section name above the headline (a weaker sign than a trail).
_SECTION_NAME = "navigation/section-name"


#: A rights notice glued after a name where a scraper joined the lines: "Ade MarboenCOPYRIGHT © ANTARA 2015".
_GLUED_RIGHTS = regex.compile(r"(?:(?i:copyright)\s*)?(?:\u00a9|\((?i:c)\)).*$")
#: What no person's name holds: a digit, an "@", a word with a dot inside ("tilleckert.90", "name.surname").
_HANDLE = regex.compile(r"\d|@|\p{L}\.\p{L}{2,}")


def split_names(value: str, initials: bool = False) -> list[str]:
    """Person names from a byline value: `A - B`, `A, B dan C`; noise dropped, and initials (a printed
    credit such as `aik/maa`) unless `initials` (a declared author such as an agency, "AP", is a name)."""
    names = []
    for part in _NAME_SPLIT.split(value):
        name = _ROLE_AFTER.sub("", _BY.sub("", " ".join(_GLUED_RIGHTS.sub("", part).strip(_TRIM).split())))
        if not name or not _HAS_LETTER.search(name) or len(name.split()) > 6 or _HANDLE.search(name):
            continue  # no name, a sentence, or a handle or address ("tilleckert.90", "@name", "a@b.c")
        if _INITIALS.fullmatch(name) and not initials:
            continue
        if _ROLE.fullmatch(name):
            continue
        if name.isupper() and len(name) > 3:  # a sign-off in capitals: "DINI TEJA" is Dini Teja
            name = title_case(name)
        names.append(name)
    return names


#: Lower-case words inside a person's name ("Ingrid van der Berg", "Ahmad bin Yusuf").
_NAME_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "do", "dos", "das", "du", "la", "le", "ter", "ten",
    "bin", "binti", "al", "el", "y",
})
_NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}\x27\u2019.-]*")
#: The longest line read as a bare list of names, and the most names and words per name it holds.
NAMES_LINE_CHARS = 80
NAMES_PER_LINE = 4


def reads_like_names(text: str) -> bool:
    """A line of person names alone ("Mohloai Mpesi", "Mathatisi Sebusi/Mohalenyane Phakela"): one to four
    names of two to four capitalised words (name particles aside), no digits, no sentence punctuation."""
    if len(text) > NAMES_LINE_CHARS or any(c.isdigit() or c in ":!?\"()" for c in text):
        return False
    parts = _NAME_SPLIT.split(text.strip())
    if not 1 <= len(parts) <= NAMES_PER_LINE:
        return False
    for part in parts:
        words = part.split()
        if not 2 <= len(words) <= 4 or words[-1].endswith("."):
            return False
        if not all(_NAME_WORD.fullmatch(w) or w in _NAME_PARTICLES for w in words) or words[0] in _NAME_PARTICLES:
            return False
        if _ROLE.fullmatch(part):  # "Staff Reports"
            return False
    return True


def title_case(place: str) -> str:
    """`BANDA ACEH` -> `Banda Aceh`; a place already in mixed case is kept as written."""
    place = " ".join(place.strip(_TRIM).split())
    if place.isupper() or place.islower():
        return " ".join(w[:1].upper() + w[1:].lower() for w in place.split())
    return place


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
    if any(below for _, below in bylines) and not all(below for _, below in bylines):
        meta["authors"] = []  # bylines of the article's own: those printed well below it are teasers'
        for names, below in bylines:
            if not below:
                _add_unique(meta["authors"], names)
    meta["category"] = meta["category"] or section  # a breadcrumb trail or a site's rule beats a bare name
    declared = _without_controls(doc.html_meta)  # a page's own values: `Name\x1b]2;X\x07` is one author
    marks = outlet_marks(declared, meta["outlet"], registered_domain(doc.url))
    _fill_from_html(meta, declared, marks, bylines)
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


def _without_controls(value: Any) -> Any:
    """Strings, and those in lists and mappings, without control characters (see `cleaner.controls`)."""
    if isinstance(value, str):
        return strip_controls(value)
    if type(value) in (list, tuple):
        return type(value)(_without_controls(item) for item in value)
    if type(value) is dict:
        return {key: _without_controls(item) for key, item in value.items()}
    return value


_NOT_WORD = regex.compile(r"[\W_]+")
#: Words around an outlet's name that its author field adds or drops ("Het Nieuwsblad", "Nieuwsblad Be").
_OUTLET_ARTICLE = regex.compile(r"^(?:the|der|die|das|het|de|le|la|les|el|il|lo)\s+", regex.IGNORECASE)
_DOMAIN_IN = regex.compile(r"\b(?:www\.)?((?:[\w-]+\.)+\p{L}{2,})\b")
_TOP_LEVEL = regex.compile(r"(?:com|net|org|de|be|nl|at|ch|co|uk|fr|es|it|pl|no|se|dk|fi|jp|kr|id|au|ca|online)$")


def _fold(value: str) -> str:
    return _NOT_WORD.sub("", _OUTLET_ARTICLE.sub("", value.strip())).casefold()


def outlet_marks(html: dict[str, Any], outlet: str | None = None, host: str | None = None) -> set[str]:
    """The outlet's names as an author field may repeat them: the page's site name and publishers, the site
    rule's `outlet`, and each domain (the page's, the URL's `host`) whole and by its first label."""
    names = [html.get("sitename"), outlet, *(html.get("publishers") or [])]
    for domain in (html.get("hostname"), host):
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


def _fill_from_html(meta: dict[str, Any], html: dict[str, Any], marks: set[str],
                    bylines: list[tuple[list[str], bool]]) -> None:
    """HTML pages: the site's `html: meta:` XPaths, then the page's declared metadata, fill what rules did not.

    The article's JSON-LD authors are the page's own list of them. Where the rules read printed bylines,
    those that name one of the declared authors stay with all their names (a co-author the JSON-LD left
    out is printed there) and the declared names are added; a byline naming none of them is another
    article's (under a teaser headline). Where no printed byline names a declared author, the printed ones
    above the body stand (a page's JSON-LD can name its CMS account); those below it are teasers'. An
    author that is the outlet itself (`marks`: "Lesotho Times", the publisher) is dropped.
    """
    if not html:
        return
    for field in ("authors", "editors"):
        if not meta[field]:
            _add_unique(meta[field], split_names(str(html.get(f"site:{field}") or "")))
    declared = [n for value in html.get("declared_authors") or [] for n in split_names(value, initials=True)
                if not names_outlet(n, marks)]
    if declared and not html.get("site:authors"):
        wanted = {_same_name(n) for n in declared}
        confirmed = [names for names, _ in bylines if wanted & {_same_name(n) for n in names}]
        printed = [] if confirmed else [names for names, below_body in bylines if not below_body]
        meta["authors"] = []
        for names in confirmed or printed:
            _add_unique(meta["authors"], names)
        if not printed:
            _add_unique(meta["authors"], declared)
    if not meta["authors"] and html.get("author"):
        _add_unique(meta["authors"], [n for n in split_names(str(html["author"]).replace(";", ","))
                                      if not names_outlet(n, marks)])
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
    # a page's keywords often come as one string ("India, Kashmir, missile"): split into tags
    tags = [part.strip() for t in html.get("tags") or [] for part in _LIST_SPLIT.split(str(t)) if part.strip()]
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
    language = site.language if site and site.language else doc.language
    meta["language"] = language or detect_language(doc.body_text())
