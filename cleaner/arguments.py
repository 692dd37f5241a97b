"""The checks every entry point makes on its settings: the command line and the library share them.

A setting out of range is a `ValueError` (a wrong type a `TypeError`) raised before any page is read, with
the same words wherever it was given; the command line turns them into its exit status 2.
"""

from __future__ import annotations

import math

#: The longest time limit accepted (seconds): a longer one overflows the timers that enforce it.
MAX_SECONDS = 1e6


def seconds(value: object, name: str, *, zero_means_none: bool = False) -> float | None:
    """A time limit: a finite number of seconds above 0 (and at most `MAX_SECONDS`); None (or 0 when
    `zero_means_none`) is no limit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    number = float(value)
    if zero_means_none and number == 0:
        return None
    if not math.isfinite(number) or number <= 0 or number > MAX_SECONDS:
        allowed = "0 (no limit) or " if zero_means_none else ""
        raise ValueError(f"{name} must be {allowed}a number of seconds above 0 and at most {MAX_SECONDS:,.0f}, "
                         f"not {value!r}")
    return number


def jobs(value: object) -> int:
    """A number of worker processes: a whole number, 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"jobs must be a whole number, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"jobs must be 1 or more, not {value}")
    return value


def optional_text(value: object, name: str) -> str | None:
    """A string setting that may be absent (a page's url, title or id)."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None, not {type(value).__name__}")
    return value


#: The formats a page may be given in.
PAGE_FORMATS = ("auto", "text", "html")


def page_format(value: object, *, none_allowed: bool = False) -> str | None:
    """A page format ("auto", "text", "html"; None where the record says): a usage error is a `ValueError`."""
    if value is None and none_allowed:
        return None
    if value not in PAGE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, PAGE_FORMATS))}, not {value!r}")
    return str(value)


def stream_settings(jobs_value: object, timeout: object, format_value: object) -> tuple[int, float | None, str | None]:
    """A stream's settings checked at once (`Cleaner.clean_many`, `Cleaner.learn`): jobs, timeout, page format."""
    return jobs(jobs_value), seconds(timeout, "timeout"), page_format(format_value, none_allowed=True)
