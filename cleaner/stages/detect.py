"""Stage 4: choose the site rule for a page, by URL domain or by a content signature."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from urllib.parse import urlsplit

from cleaner.document import Document
from cleaner.ruleset.model import RuleSet
from cleaner.ruleset.prefilter import admits, required_literals


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


def site_for_text(text: str, sites: Sequence[RuleSet]) -> RuleSet | None:
    """The site whose signature occurs earliest in the text."""
    best: tuple[int, RuleSet] | None = None
    folded = text.casefold()
    for site in sites:
        for signature in site.signatures:
            if not admits(required_literals(signature), folded):
                continue  # the signature names a word the page does not contain
            try:
                found = signature.search(text, timeout=1.0)
            except TimeoutError:
                continue  # a signature is checked at load time; a page where it still stalls just doesn't match
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), site)
    return best[1] if best else None


def detect_site(doc: Document, sites: Sequence[RuleSet]) -> Document:
    site = site_for_url(doc.url, sites)
    if site is None:
        site = site_for_text("\n".join(line.text for line in doc.lines), sites)
    return dataclasses.replace(doc, site=site.id if site else None)
