"""Publication dates from the forms Indonesian and English pages print.

dateparser (which trafilatura brings through htmldate) reads the day, month and
year in Indonesian or English; this module finds the time and the zone itself
because the output must say whether a time was given (date only otherwise) and
WIB/WITA/WIT map to fixed offsets.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import regex

from cleaner.limits import untimed

#: Indonesian time zones and the offsets they stand for.
ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00", "UTC": "+00:00", "GMT": "+00:00"}
_ZONE = regex.compile(r"\b(WIB|WITA|WIT|UTC|GMT)\b")
_TIME = regex.compile(r"(?<![\d/])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![\d/])")
_NOISE = regex.compile(r"(?i)\b(?:pukul|jam|on|pada|diperbarui|updated|published|diterbitkan)\b|[|,]")
_DAY_APOSTROPHE = regex.compile(r"(?i)\bjum'?at\b")
_YEAR = regex.compile(r"\b(19|20)\d{2}\b")
_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    """dateparser, imported and readied on first use: its load (mostly compiling its patterns for the two
    languages) is a one-time cost many runs never need, so it pauses the page's time limit."""
    with untimed():
        import dateparser

        dateparser.parse("Senin, 1 Januari 2024", languages=["id", "en"], settings=_SETTINGS)
    return dateparser


@lru_cache(maxsize=4096)
def parse_published(text: str) -> str | None:
    """ISO 8601 for a printed publication date, or None when it is not a full date with a year.

    `Selasa, 12 Sep 2023 14:05 WIB` -> `2023-09-12T14:05+07:00`; `5 September 2023` -> `2023-09-05`.
    """
    if not _YEAR.search(text):
        return None  # a date without a year is never a publication date
    zone_match = _ZONE.search(text)
    zone = ZONES[zone_match.group(1)] if zone_match else ""
    time_match = _TIME.search(text)
    clean = _ZONE.sub(" ", text)
    if time_match:
        clean = clean[: time_match.start()] + " " + clean[time_match.end():]
    clean = _DAY_APOSTROPHE.sub("Jumat", clean)
    clean = _NOISE.sub(" ", clean)
    clean = regex.sub(r"\s+-\s+|\s*-\s*$", " ", clean)
    clean = " ".join(clean.split())
    if not clean:
        return None
    parsed: dt.datetime | None = _dateparser().parse(clean, languages=["id", "en"], settings=_SETTINGS)
    if parsed is None:
        return None
    day: dt.date = parsed.date()
    if not time_match:
        return day.isoformat()
    hour, minute = int(time_match.group(1)), int(time_match.group(2))
    second = int(time_match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return day.isoformat()
    stamp = dt.datetime.combine(day, dt.time(hour, minute, second))
    return stamp.isoformat(timespec="seconds" if second else "minutes") + zone
