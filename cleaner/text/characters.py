"""Characters normalising removes or replaces, and a stop doubled after a sentence's end: what the repair,
normalise, segment, strip and tidy stages all need to agree on."""

from __future__ import annotations

import re

import regex

#: Spaces other than U+0020, and tabs: all become one plain space.
ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: Zero-width characters, soft hyphens, BOMs, control characters and the bidi embedding, override and
#: isolate controls (U+202A-U+202E, U+2066-U+2069: they reorder what a reader sees, the "evil" of
#: Trojan-source text): removed. The plain direction marks (LRM, RLM, ALM) stay: Arabic and Hebrew text
#: uses them. Characters that `str.splitlines` treats as line breaks (\x0b \x0c \x1c-\x1e \x85) are kept.
INVISIBLE = re.compile(
    r"[\u200b-\u200d\u2060-\u2064\ufeff\u00ad\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")

#: A full stop repeated after the end of a sentence: "dua kali. ." -> "dua kali."
_DOUBLE_STOP = regex.compile(r"(?<=[.!?\u201d\"])(?: \.)+$")


def drop_doubled_stop(text: str) -> str:
    """A full stop repeated after the end of a sentence goes: "dua kali. ." -> "dua kali."."""
    return _DOUBLE_STOP.sub("", text) if text.endswith(" .") else text
