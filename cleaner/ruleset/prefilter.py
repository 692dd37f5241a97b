"""Literal prefilters: which words a pattern's every match must contain, so most lines skip the pattern.

A `regex` call costs microseconds (more with `timeout=`), and an alternation of many rules loses the
literal-prefix scan that makes a single pattern fast. Nearly every chrome rule names a word ("baca juga",
"foto", "editor", a dash, a bracket): if none of a rule's required words occurs in a line, the rule
cannot match it, and the line is never handed to the rule's pattern. Finding the words is one scan of the
case-folded page with an alternation of plain literals, which `regex` runs at tens of MB/s.

`required_literals(pattern)` reads the pattern's syntax tree (the standard library's parser, after
Unicode property classes are replaced by `\\w`) and returns a set of case-folded strings, one of which
every match contains; or None when it cannot tell (then the rule is tried on every line). It must never
be wrong in the other direction: a pattern it does not fully understand gets None.
"""

from __future__ import annotations

import functools
import importlib
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick
import regex

try:  # the standard library's regex parser: re._parser from Python 3.11, sre_parse before
    _p: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _p = importlib.import_module("sre_parse")
    _c = importlib.import_module("sre_constants")

#: Largest set of alternative strings kept exact (cross products grow fast).
_LIMIT = 64
#: Largest character class read as a set of one-character strings: `[0-9]` (what dates and counts hold).
_CLASS_LIMIT = 10
#: Syntax the standard library parser reads differently from `regex` (POSIX classes, nested sets).
_FOREIGN = ("(?V", "(?r", "(?f", "(?b", "(?e", "\\L<", "(?|")
_POSIX_CLASS = re.compile(r"\[:\^?[A-Za-z]+:\]")
_FUZZY = re.compile(r"\{[^}]*[A-Za-z]")  # `{e<=1}`: a quantifier holds only digits and a comma
_ESCAPE = re.compile(r"\\(?:[pP](?:\{[^}]*\}|[A-Za-z])|.)", re.DOTALL)
#: A named group's opening (`(?P<name>`, `(?<name>`), not a lookbehind; and what refers to a group by name.
_GROUP_NAME = re.compile(r"(?<!\\)\(\?P?<(?![=!])[A-Za-z_]\w*>")
_GROUP_REFERENCE = re.compile(r"\(\?P=|\\g<|\(\?\(|\(\?&|\(\?P>")


@dataclass(frozen=True)
class _Info:
    exact: frozenset[str] | None  # every string the node can match, when few
    required: frozenset[str] | None  # one of these occurs in every match; None: unknown


_ANYTHING = _Info(None, None)
_EMPTY = _Info(frozenset({""}), None)


#: Signs that are in few lines of prose: one of them alone selects about as well as a word of three letters
#: ("/" is in one line of fifty, "ap" in one of twenty), a little less.
_RARE_SIGNS = frozenset("/|@\u00a9[]#\u00bb\u00ab")
_RARE_SIGN_LENGTH = 2.9


def _length(text: str) -> float:
    """A string's length as a measure of how seldom lines hold it, a rare sign counting as a short word."""
    return len(text) + sum(_RARE_SIGN_LENGTH - 1 for ch in text if ch in _RARE_SIGNS)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective requirement: longest shortest string (a rare sign counting more), then fewest strings."""
    useful = [c for c in candidates if c and "" not in c]
    if not useful:
        return None
    return max(useful, key=lambda c: (min(_length(s) for s in c), -len(c)))


def _requirement(info: _Info) -> frozenset[str] | None:
    if info.exact is not None:
        return None if "" in info.exact else info.exact
    return info.required


def _sequence(items: list[Any]) -> _Info:
    current: frozenset[str] = frozenset({""})
    found: list[frozenset[str]] = []
    exact = True
    for item in items:
        info = _node(item)
        if info.exact is not None and len(current) * len(info.exact) <= _LIMIT:
            current = frozenset(a + b for a in current for b in info.exact)
            continue
        found.append(current)
        if info.exact is not None:
            current = info.exact
        else:
            if info.required is not None:
                found.append(info.required)
            current = frozenset({""})
        exact = False
    if exact:
        return _Info(current, None)
    found.append(current)
    return _Info(None, _best(found))


def _alternatives(branches: list[_Info]) -> _Info:
    if all(b.exact is not None for b in branches):
        union = frozenset().union(*(b.exact for b in branches if b.exact is not None))
        if len(union) <= _LIMIT:
            return _Info(union, None)
    needs = [_requirement(b) for b in branches]
    if any(n is None for n in needs):
        return _ANYTHING
    return _Info(None, frozenset().union(*(n for n in needs if n is not None)))


def _char_class(items: list[Any]) -> _Info:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av).casefold())
        elif op is _c.RANGE and av[1] - av[0] < _CLASS_LIMIT:
            chars.update(chr(c).casefold() for c in range(av[0], av[1] + 1))
        else:  # negation, categories, wide ranges
            return _ANYTHING
    return _Info(frozenset(chars), None) if len(chars) <= _CLASS_LIMIT else _ANYTHING


def _node(item: Any) -> _Info:
    op, av = item
    if op is _c.LITERAL:
        return _Info(frozenset({chr(av).casefold()}), None)
    if op is _c.ASSERT:
        # A lookaround reads the line around the match: what it requires the line holds (a split rule's
        # `(?=Editor:)` boundary matches nothing itself).
        return _Info(None, _requirement(_sequence(list(av[1]))))
    if op in (_c.AT, _c.ASSERT_NOT):
        return _EMPTY  # zero-width: adds nothing, removes nothing
    if op is _c.IN:
        return _char_class(av)
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op is _c.BRANCH:
        return _alternatives([_sequence(list(branch)) for branch in av[1]])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        if low == 0:
            return _ANYTHING
        inner = _sequence(list(body))
        if inner.exact is not None and low == high and len(inner.exact) ** low <= _LIMIT:
            strings = frozenset({""})
            for _ in range(low):
                strings = frozenset(a + b for a in strings for b in inner.exact)
            return _Info(strings, None)
        return _Info(None, _requirement(inner))
    return _ANYTHING  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, conditionals: no literal known


def word_automaton(values: Mapping[str, Any]) -> Any:
    """An Aho-Corasick automaton (pyahocorasick) that finds each word and gives its value; None without words."""
    if not values:
        return None
    automaton = ahocorasick.Automaton()
    for word, value in values.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


def admits(needs: frozenset[str] | None, folded: str) -> bool:
    """A case-folded line may match a pattern with these required words (None: nothing is known)."""
    if needs is None:
        return True
    for word in needs:  # noqa: SIM110 - a loop, not any() over a generator: called per pattern and line
        if word in folded:
            return True
    return False


@functools.lru_cache(maxsize=4096)  # compiled patterns hash by source and flags
def required_literals(pattern: regex.Pattern[str]) -> frozenset[str] | None:
    """Case-folded strings one of which every match of `pattern` contains; None if unknown."""
    source = pattern.pattern
    if pattern.flags & regex.VERSION1 or any(mark in source for mark in _FOREIGN) or _POSIX_CLASS.search(source):
        return None
    if _FUZZY.search(_ESCAPE.sub("", source)):
        return None
    # \p{..} reads as \w; \K (where the match starts) requires nothing and the standard parser lacks it.
    translated = _ESCAPE.sub(lambda m: r"\w" if m.group()[1] in "pP" else "" if m.group() == r"\K" else m.group(),
                             source)
    if _GROUP_REFERENCE.search(translated) is None:  # names matter only to references: a name used twice (one
        translated = _GROUP_NAME.sub("(?:", translated)  # per alternative, as `regex` allows) is read as a group
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = _p.parse(translated)
    except Exception:  # syntax only `regex` knows (fuzzy matching, \X, named lists ...): no prefilter
        return None
    return _requirement(_sequence(list(tree)))
