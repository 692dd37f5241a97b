"""Patterns as rule files write them: `{{variables}}` expanded, compiled once, probed for catastrophic
backtracking on adversarial lines at load time (the passing ones remembered in the cache), made matchers.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from cleaner import cache
from cleaner.cache import content_key
from cleaner.errors import Problem
from cleaner.ruleset.lexicon import (
    expand_literal,
)
from cleaner.ruleset.model import (
    METADATA_FIELDS,
    VETTED_LINE_LENGTH,
    Matcher,
)
from cleaner.ruleset.yaml_lines import KEY_LINES, LINE, as_list, shown

#: Seconds a rule's pattern may run on one line before the page gets an error.
DEFAULT_PATTERN_TIMEOUT = 1.0
#: Seconds a pattern may take on a probe line at load time. Catastrophic backtracking takes effectively
#: forever on a 4,000-character probe while sound patterns take milliseconds, so the margin is wide:
#: a busy machine must never reject a valid rule file.
PROBE_TIMEOUT = 1.0
#: Adversarial lines every pattern must finish on; a vetted pattern (see `Matcher`) runs without a timeout
#: on lines no longer than the shortest of them (`VETTED_LINE_LENGTH`).
_PROBES = ("a" * 4000 + "!", " " * 4000 + "!", "1" * 4000 + "x", "Ab " * 1500 + "!", "." * 4000 + "a")
assert min(len(probe) for probe in _PROBES) > VETTED_LINE_LENGTH

#: The probe cache entry: its name changes with the probes and the regex engine.
_PROBES_ENTRY = "probes-" + content_key([regex.__version__, str(PROBE_TIMEOUT), *_PROBES]) + ".txt"


class _ProbeCache:
    """Keys of the patterns that passed the probes, from earlier loads (the cache) and this one."""

    def __init__(self) -> None:
        stored = cache.read(_PROBES_ENTRY)
        self.passed: set[str] = set(stored.decode("ascii", "replace").split()) if stored else set()
        self._stored = len(self.passed)

    def save(self) -> None:
        """Write the keys back when this load added some."""
        if len(self.passed) != self._stored:
            cache.write(_PROBES_ENTRY, "\n".join(sorted(self.passed)).encode("ascii"))
            self._stored = len(self.passed)


@lru_cache(maxsize=1)
def _probe_cache() -> _ProbeCache:
    return _ProbeCache()


def _finishes(compiled: regex.Pattern[str], probe: str) -> bool:
    """The pattern searches the probe line within the probe timeout."""
    try:
        compiled.search(probe, timeout=PROBE_TIMEOUT)
    except TimeoutError:
        return False
    return True


_VAR_REF = regex.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: Longest pattern after its {{variables}} are expanded: far above any real rule, far below what a chain
#: of variables that each repeat the next can reach (16 uses over 7 levels: 500 million characters).
MAX_EXPANDED_PATTERN = 50_000


class PatternCompiler:
    """What every part of a rule file's compiling shares: its problems, its keys checked, `{{variables}}` expanded,
    patterns compiled and probed, matchers built. `cleaner.ruleset.compile.Compiler` adds the rules and sections."""

    def __init__(self, path: Path, kind: str, variables: dict[str, str], timeout: float, vetted: bool,
                 phrases: dict[str, list[str]] | None = None) -> None:
        self.file = str(path)
        self.kind = kind
        self.variables = variables
        self.phrases = phrases or {}  # the lexicon's phrases by variable, for literal lines
        self.timeout = timeout
        self.vetted = vetted  # the bundled rules: their patterns run without the timeout (see `Matcher`)
        self.problems: list[Problem] = []

    def problem(self, line: int, rule: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, rule, message))

    def check_keys(self, data: dict[str, Any], allowed: Collection[str], rule: str | None, what: str) -> None:
        for key in data:
            if key in (LINE, KEY_LINES) or key in allowed:
                continue
            hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(sorted(allowed))})"
            self.problem(self.key_line(data, key), rule, f"unknown key {key!r} in {what}{tip}")

    def expand(self, source: str, line: int, rule: str | None) -> str | None:
        grown = [len(source)]

        def substitute(found: regex.Match[str]) -> str:
            name = found.group(1)
            if name not in self.variables:
                raise KeyError(name)
            grown[0] += len(self.variables[name]) + 4
            if grown[0] > MAX_EXPANDED_PATTERN:
                raise OverflowError
            return f"(?:{self.variables[name]})"

        try:
            for _ in range(8):  # variables may use variables
                grown[0] = len(source)
                expanded = _VAR_REF.sub(substitute, source)
                if expanded == source:
                    return expanded
                source = expanded
            self.problem(line, rule, "variables refer to each other in a loop")
            return None
        except OverflowError:
            self.problem(line, rule, f"the pattern expands to more than {MAX_EXPANDED_PATTERN:,} characters "
                                     "through its variables")
            return None
        except KeyError as exc:
            name = str(exc.args[0])
            hint = difflib.get_close_matches(name, sorted(self.variables), n=1)
            tip = f" (did you mean {{{{{hint[0]}}}}}?)" if hint else ""
            self.problem(line, rule, f"unknown variable {{{{{name}}}}} in pattern {shown(source)}{tip}")
            return None

    def compile_pattern(
        self, source: Any, line: int, rule: str, *, flags: int, wrap: str = "{}", groups_allowed: bool = True
    ) -> regex.Pattern[str] | None:
        if not isinstance(source, str) or not source:
            self.problem(line, rule, f"a pattern must be a non-empty string, not {shown(source)}")
            return None
        expanded = self.expand(source, line, rule)
        if expanded is None:
            return None
        try:
            compiled = regex.compile(wrap.format(expanded), flags | regex.VERSION0)
        except regex.error as exc:
            self.problem(line, rule, f"invalid regex {shown(source)}: {exc}")
            return None
        bad = [g for g in compiled.groupindex if g not in METADATA_FIELDS and not g.startswith("_")]
        if bad:
            self.problem(
                line, rule,
                f"named group(s) {', '.join(bad)} are not metadata fields "
                f"({', '.join(sorted(METADATA_FIELDS))}); prefix a helper group with '_'",
            )
            return None
        if compiled.groupindex and not groups_allowed:
            self.problem(line, rule, "named groups are only read in rules that capture metadata")
        passed = _probe_cache().passed
        key = content_key([compiled.pattern, str(compiled.flags)])
        if key in passed:
            return compiled
        for probe in _PROBES:
            if not _finishes(compiled, probe) and not _finishes(compiled, probe):  # twice: a busy machine is no proof
                self.problem(
                    line, rule,
                    f"regex {shown(source)} backtracks catastrophically (it ran past {PROBE_TIMEOUT}s on a "
                    f"{len(probe)}-character test line); rewrite it without nested quantifiers",
                )
                return None
        passed.add(key)
        return compiled

    def matcher(
        self, spec: dict[str, Any], key: str, line: int, rule: str, *, wrap: str = "{}", allow_text: bool = True,
        groups_allowed: bool = True,
    ) -> Matcher | None:
        ignore_case = spec.get("ignore_case", False)
        if not isinstance(ignore_case, bool):
            self.problem(line, rule, f"'ignore_case' must be true or false, not {shown(ignore_case)}")
            ignore_case = False
        patterns = spec.get(key)
        texts = spec.get("text") if allow_text else None
        if patterns is None and texts is None:
            return None
        literals: set[str] = set()
        for text in as_list(texts):
            if not isinstance(text, str) or not text.strip():
                self.problem(line, rule, f"'text' entries must be non-empty strings, not {shown(text)}")
                continue
            expanded = expand_literal(text, self.phrases)  # "{{lexicon_advertisement}}": a line per phrase
            if expanded is None:
                self.problem(line, rule, f"'text' entry {shown(text)} names a lexicon concept no file lists")
                continue
            for literal in expanded:
                literals.add(literal.strip().casefold() if ignore_case else literal.strip())
        compiled = []
        flags = regex.IGNORECASE if ignore_case else 0
        for source in as_list(patterns):
            pattern = self.compile_pattern(source, line, rule, flags=flags, wrap=wrap, groups_allowed=groups_allowed)
            if pattern is not None:
                compiled.append(pattern)
        return Matcher(frozenset(literals), tuple(compiled), ignore_case, self.timeout, rule, self.vetted)

    @staticmethod
    def key_line(data: dict[str, Any], key: str) -> int:
        """The line of `key` in a mapping (that of the mapping where the key is absent)."""
        lines: dict[str, int] = data.get(KEY_LINES, {})
        return int(lines.get(key, data.get(LINE, 0)))
