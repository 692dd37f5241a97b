"""The command line's option types: each parses one value and checks it as the library does (`cleaner.arguments`)."""

from __future__ import annotations

import argparse

from cleaner import arguments
from cleaner.ruleset.lexicon import LANGUAGE_CODE


def positive_int(value: str) -> int:
    try:
        return arguments.jobs(int(value))
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def seconds(value: str) -> float:
    try:
        number = arguments.seconds(float(value), "the pattern timeout")
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    assert number is not None
    return number


def seconds_or_zero(value: str) -> float:
    try:
        return arguments.seconds(float(value), "the timeout", zero_means_none=True) or 0.0
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


#: Seconds one document may take by default: far above a normal page (milliseconds), low enough
#: that a pathological page costs a run seconds, not hours.
DEFAULT_DOCUMENT_TIMEOUT = 10.0


def language_codes(value: str) -> list[str]:
    """`--language id,ms,en`: ISO 639-1 codes, comma-separated."""
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    if not codes or not all(LANGUAGE_CODE.fullmatch(code) for code in codes):
        raise argparse.ArgumentTypeError(f"expected ISO 639-1 codes separated by commas (id,ms,en), not {value!r}")
    return sorted(set(codes))
