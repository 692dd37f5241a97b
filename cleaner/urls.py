"""What a page's URL says: its publication date, its registered domain, its section.

Outlets put the date in the path (`/read/2023/12/25/10450131/...` on kompas.com, `/2023/10/20/...` on
tribunnews.com, `/read/2025/06/20/51/...` on okezone.com, `/read/20250604/9/...` on bisnis.com) or a
timestamp in the article id (`/20250910182921-32-1272266/...` on cnnindonesia.com and cnbcindonesia.com).
The metadata stage takes the URL's date only when the page prints none: a stated date line wins.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import SplitResult, urlsplit

import regex
from tld import get_fld

#: /2023/12/25/ with an optional /203900/ (hhmmss, as suara.com prints it) right after.
_SLASHED = regex.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/(\d{2})(\d{2})(\d{2})(?=/))?(?=/|$)")
#: /20231225/ as one path segment.
_COMPACT = regex.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=/)")
#: cnnindonesia / cnbcindonesia article ids: YYYYMMDDhhmmss-desk-number.
_STAMP = regex.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})-\d{1,4}-\d{3,}(?=/|$)")
#: Outlets whose URL timestamps are Jakarta time.
_WIB_STAMPS = ("cnnindonesia.com", "cnbcindonesia.com")
#: First path segments that are not sections.
_NOT_SECTIONS = frozenset({
    "read", "berita", "news", "article", "articles", "artikel", "amp", "detail", "post", "posts", "story",
    "stories", "index", "id", "en", "m", "www", "baca", "content", "p", "a", "view", "video", "foto", "photo",
    "gallery", "galeri", "tag", "tags", "topic", "topik", "search",
})
_SECTION = regex.compile(r"\p{Ll}[\p{Ll}\d]*(?:-[\p{Ll}\d]+){0,3}")


def split_url(url: str) -> SplitResult | None:
    """The URL's parts, or None for one `urlsplit` refuses (`http://[::1/x`)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here, not in urlsplit
    except ValueError:
        return None
    return parts


def url_problem(url: str | None) -> str | None:
    """Why a given URL cannot be read (the record's warning), or None when it can."""
    if url is None or split_url(url) is not None:
        return None
    return f"the URL {url[:200]!r} is not a valid URL; the page was cleaned without it"


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def url_published(url: str | None) -> str | None:
    """The publication date the URL's path gives (ISO 8601), or None."""
    if not url:
        return None
    parts = split_url(url)
    if parts is None:
        return None
    path = parts.path
    stamp = _STAMP.search(path)
    if stamp:
        day = _date(*stamp.groups()[:3])
        hour, minute, second = (int(g) for g in stamp.groups()[3:])
        if day and hour < 24 and minute < 60 and second < 60:
            zone = "+07:00" if parts.hostname and parts.hostname.endswith(_WIB_STAMPS) else ""
            return dt.datetime.combine(day, dt.time(hour, minute)).isoformat(timespec="minutes") + zone
    slashed = _SLASHED.search(path)
    if slashed:
        day = _date(*slashed.groups()[:3])
        if day and slashed.group(4):
            hour, minute = int(slashed.group(4)), int(slashed.group(5))
            if hour < 24 and minute < 60:
                return dt.datetime.combine(day, dt.time(hour, minute)).isoformat(timespec="minutes")
        if day:
            return day.isoformat()
    compact = _COMPACT.search(path)
    if compact:
        day = _date(*compact.groups())
        if day:
            return day.isoformat()
    return None


def registered_domain(url: str | None) -> str | None:
    """`https://news.detik.com/x` -> `detik.com`; `www.republika.co.id` -> `republika.co.id` (public suffix list)."""
    if not url:
        return None
    try:
        domain = get_fld(url, fail_silently=True, fix_protocol=True)
    except ValueError:
        return None
    return domain if isinstance(domain, str) else None


def url_section(url: str | None) -> str | None:
    """The section named by the URL's first path segment (`cnnindonesia.com/nasional/...` -> `nasional`)."""
    if not url:
        return None
    parts = split_url(url)
    segments = [s for s in parts.path.split("/") if s] if parts else []
    if len(segments) < 2:  # a lone segment is the article's own slug
        return None
    first = segments[0].lower()
    if first in _NOT_SECTIONS or not _SECTION.fullmatch(first) or len(first) > 40:
        return None
    return first
