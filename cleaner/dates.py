"""Publication dates from the forms news pages print, in Indonesian, English and the other languages.

dateparser (which trafilatura brings through htmldate) reads the day, month and year, in Indonesian or
English first (the two it loads up front); a date it cannot read there is read from its digits
("28.04.2024", "2024-10-10") or by dateparser in the other languages of the lexicon ("3. Mai 2024",
"5 janvier 2025"), loaded when the first such date comes. This module finds the time and the zone itself
because the output must say whether a time was given (date only otherwise) and WIB/WITA/WIT map to fixed
offsets.
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
#: Other zones a printed date may name; left out of the date read (its time is kept as printed, without offset).
_OTHER_ZONE = regex.compile(r"\b(?:JST|KST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|CET|CEST|MEZ|MESZ|BST|IST|AEST|AEDT|"
                            r"SGT|HKT|MYT|ICT|PHT|ET|PT)\b")
#: A time of day, with its "AM"/"p.m." where the clock has twelve hours.
_TIME = regex.compile(r"(?<![\d/])(\d{1,2})(?:[:.]|h(?=\d{2}\b))(\d{2})(?:[:.](\d{2}))?(?![\d/])"
                      r"(?:\s*([AaPp])\.?[Mm]\b\.?)?(?!\.\d)")
_NOISE = regex.compile(r"(?i)\b(?:pukul|jam|on|pada|diperbarui|updated|published|diterbitkan)\b|[|,]")
_DAY_APOSTROPHE = regex.compile(r"(?i)\bjum'?at\b")
_YEAR = regex.compile(r"\b(19|20)\d{2}\b")
#: A date in digits only, day first or ISO: "28.04.2024", "06. 01. 2026", "2024-10-10", "05/11/2015".
_NUMERIC = regex.compile(
    r"(?<!\d)(?:(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})|(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}))(?!\d)")
#: The other languages dateparser reads a month name in, when Indonesian and English did not.
_OTHER_LANGUAGES = ["de", "fr", "es", "pt", "it", "nl", "ms", "tr", "pl", "sv", "nb", "da", "fi", "vi", "tl", "ru"]
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
    clean = _OTHER_ZONE.sub(" ", _ZONE.sub(" ", text))
    if time_match:
        clean = clean[: time_match.start()] + " " + clean[time_match.end():]
    clean = _DAY_APOSTROPHE.sub("Jumat", clean)
    clean = _NOISE.sub(" ", clean)
    clean = regex.sub(r"\s+-\s+|\s*-\s*$", " ", clean)
    clean = " ".join(clean.split())
    if not clean:
        return None
    day = _numeric_date(clean)
    if day is None:
        parsed: dt.datetime | None = _dateparser().parse(clean, languages=["id", "en"], settings=_SETTINGS)
        if parsed is None:
            parsed = _in_other_languages(clean)
        if parsed is None:
            return None
        day = parsed.date()
    if not time_match:
        return day.isoformat()
    hour, minute = int(time_match.group(1)), int(time_match.group(2))
    second = int(time_match.group(3) or 0)
    meridiem = (time_match.group(4) or "").lower()
    if meridiem and hour <= 12:
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return day.isoformat()
    stamp = dt.datetime.combine(day, dt.time(hour, minute, second))
    return stamp.isoformat(timespec="seconds" if second else "minutes") + zone


def _numeric_date(text: str) -> dt.date | None:
    """The date of a text that holds one in digits (day first, or ISO), without dateparser."""
    found = _NUMERIC.search(text)
    if found is None:
        return None
    groups = found.groups()
    day, month, year = ((groups[0], groups[1], groups[2]) if groups[0] else (groups[5], groups[4], groups[3])
                        if groups[3] else (groups[6], groups[7], groups[8]))
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _other_languages() -> Any:
    """dateparser readied for the other languages (once, off the page's time limit, like the first load)."""
    with untimed():
        parser = _dateparser()
        parser.parse("3 mai 2024", languages=_OTHER_LANGUAGES, settings=_SETTINGS)
    return parser


def _in_other_languages(text: str) -> dt.datetime | None:
    """A date whose month is named in another language: the words before its first digit (a label such as
    "Publiziert", "Publié le") left out."""
    start = regex.search(r"\d", text)
    if start is None:
        return None
    parsed: dt.datetime | None = _other_languages().parse(text[start.start():], languages=_OTHER_LANGUAGES,
                                                          settings=_SETTINGS)
    return parsed
