"""Which documents learn together: a site's, the way `cleaner learn` groups a corpus and cleaning finds a group.

A site's chrome is what its pages repeat, so documents are grouped by site: the registered domain of their URL
when they have one; else the bundled site the text was recognised as; else the input they came from (a scraper
export, a folder of one outlet's pages), which holds one outlet's pages far more often than not.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

from cleaner.urls import registered_domain, split_url

#: A group named by the bundled site its pages were recognised as ("site:tempo").
SITE_GROUP = "site:"
#: A group named by the input its documents came from ("input:exports/kompas.jsonl"; "input:-" for stdin and
#: for library pages given without one).
INPUT_GROUP = "input:"

Value = TypeVar("Value")


def group_of(url: str | None, site: str | None, source: str | None) -> str:
    """The group of a document: its URL's registered domain, else `site:<id>`, else `input:<source>`."""
    domain = registered_domain(url)
    if not domain and url:  # a host under no public suffix (an intranet's, a test's): the host itself
        parts = split_url(url)
        domain = (parts.hostname or "").removeprefix("www.") if parts is not None else ""
    if domain:
        return domain
    if site:
        return SITE_GROUP + site
    return INPUT_GROUP + _input_path(source)


def _input_path(source: str | None) -> str:
    if not source or source == "-":
        return "-"
    return os.path.normpath(source).replace(os.sep, "/")


def find_group(groups: Mapping[str, Value], url: str | None, site: str | None, source: str | None) -> Value | None:
    """What `groups` holds for a document's group. An input group also holds the files below it: rules learned
    from a folder apply to one of its files given alone (`cleaner explain folder/page.txt`)."""
    if not groups:
        return None
    key = group_of(url, site, source)
    found = groups.get(key)
    if found is not None or not key.startswith(INPUT_GROUP):
        return found
    path = key[len(INPUT_GROUP):]
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        found = groups.get(INPUT_GROUP + path)
        if found is not None:
            return found
    return None
