"""Control characters: never in a metadata field, never printed raw to a terminal.

A page's declared metadata (JSON-LD, meta tags) and a record's id or URL come from the input as they are: an
escape sequence there (`\\x1b]0;...\\x07`) would retitle or rewrite the user's terminal when printed, and a
control character inside a name splits it into two. Fields lose them; what is printed shows them escaped.
"""

from __future__ import annotations

import re

#: C0 and C1 controls and DEL; tab and newline are among them (a field is one line; a message shows them).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


#: Terminal escape sequences, whole: OSC (`ESC ] ... BEL`), CSI (`ESC [ 31 m`), and ESC with one character.
_ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?"
                      r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b[@-Z\\-_]?")


def strip_controls(text: str) -> str:
    """`text` without escape sequences (the whole sequence: its payload is no text of the page) and without
    control characters (a tab or a newline becomes a space)."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda found: " " if found.group() in "\t\n\r" else "", _ESCAPES.sub("", text))


def printable(text: str) -> str:
    """`text` safe to print on a terminal: every control character shown as its escape (`\\x1b`)."""
    return _CONTROLS.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)
