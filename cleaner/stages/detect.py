"""Stage 4: choose the site rule for a page, by URL domain or by a content signature; and the page's language."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import regex

from cleaner.document import Document
from cleaner.language import SAMPLE, detect_language
from cleaner.ruleset.model import RuleSet
from cleaner.ruleset.prefilter import required_literals, word_automaton


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL without `www.`, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def site_for_url(url: str | None, sites: Sequence[RuleSet]) -> RuleSet | None:
    """The site whose domain is the URL's host or a parent of it; the most specific wins, and of two with the
    same domain the later (a user's rule folder is read after the bundled rules)."""
    host = host_of(url)
    if not host:
        return None
    best: tuple[int, RuleSet] | None = None
    for site in sites:
        for domain in site.domains:
            if (host == domain or host.endswith("." + domain)) and (best is None or len(domain) >= best[0]):
                best = (len(domain), site)
    return best[1] if best else None


@dataclass(frozen=True)
class SiteSignatures:
    """Every site's content signatures, with the words each requires in one automaton: a page is read once for
    all of them, and only the signatures whose words it holds are searched."""

    entries: tuple[tuple[RuleSet, regex.Pattern[str]], ...]  # (site, signature), in the sites' order
    words: Any  # ahocorasick.Automaton: required word -> entry positions; None when no signature names one
    unfiltered: frozenset[int]  # signatures that name no word: searched on every page

    @classmethod
    def build(cls, sites: Sequence[RuleSet]) -> SiteSignatures:
        entries = tuple((site, signature) for site in sites for signature in site.signatures)
        by_word: dict[str, set[int]] = {}
        unfiltered = set()
        for position, (_, signature) in enumerate(entries):
            needs = required_literals(signature)
            if needs is None:
                unfiltered.add(position)
            for word in needs or ():
                by_word.setdefault(word, set()).add(position)
        words = word_automaton({word: frozenset(positions) for word, positions in by_word.items()})
        return cls(entries, words, frozenset(unfiltered))

    def site_for_text(self, text: str) -> RuleSet | None:
        """The site whose signature occurs earliest in the text (of two at the same place, the first)."""
        admitted = set(self.unfiltered)
        if self.words is not None:
            for _, positions in self.words.iter(text.casefold()):
                admitted.update(positions)
        best: tuple[int, RuleSet] | None = None
        for position in sorted(admitted):
            site, signature = self.entries[position]
            try:
                found = signature.search(text, timeout=1.0)
            except TimeoutError:
                continue  # a signature is checked at load time; a page where it still stalls just doesn't match
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), site)
        return best[1] if best else None


def site_for_text(text: str, sites: Sequence[RuleSet]) -> RuleSet | None:
    """The site whose signature occurs earliest in the text (`SiteSignatures`, built for these sites)."""
    return SiteSignatures.build(sites).site_for_text(text)


def detect_site(doc: Document, sites: Sequence[RuleSet], signatures: SiteSignatures) -> Document:
    """The page's site: by its URL; a page without one by the signature found earliest in its text
    (`signatures`: the sites' signatures, indexed once per `Cleaner`). A URL whose host no site rule names is
    another outlet's page: its text is not scanned (a quotation of a known outlet's byline is no signature)."""
    site = site_for_url(doc.url, sites)
    if site is None and host_of(doc.url) is None:
        site = signatures.site_for_text("\n".join(line.text for line in doc.lines))
    return dataclasses.replace(doc, site=site.id if site else None)


def detect_page_language(doc: Document, site_language: str | None) -> Document:
    """The page's language before its chrome goes: the site's, else detected on its longest lines (prose, where a
    full page's first characters are its menu). Rules scoped to languages (`languages:`) read it, and so does
    the `language` field."""
    if site_language:
        return dataclasses.replace(doc, language=site_language)
    texts = sorted((line.text for line in doc.lines if line.text), key=len, reverse=True)
    sample: list[str] = []
    size = 0
    for text in texts:
        sample.append(text)
        size += len(text) + 1
        if size >= SAMPLE:
            break
    return dataclasses.replace(doc, language=detect_language(" ".join(sample)))
