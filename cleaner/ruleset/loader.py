"""Load YAML rule files, validate them, compile them once.

Errors name the file, the line and the rule, so a user who drops a broken rule
file in a folder learns what to fix before any document is read. YAML is read
with `SafeLoader` (no object construction from tags). Every regex is compiled
once and probed against adversarial lines with a short `regex` timeout, which
catches catastrophic backtracking at load time rather than mid-run.
"""

from __future__ import annotations

import difflib
import pickle
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex
import yaml

from cleaner import cache
from cleaner.cache import content_key
from cleaner.ruleset.actions import (
    ACTION_SPECS,
    FILE_KEYS,
    HTML_KEYS,
    HTML_META_FIELDS,
    OPTIONS,
    RULE_KEYS,
    TITLE_KEYS,
    ActionSpec,
    allowed_keys,
)
from cleaner.ruleset.lexicon import (
    LANGUAGE_CODE,
    expand_literal,
    lexicon_phrases,
    lexicon_problems,
    lexicon_variables,
)
from cleaner.ruleset.lexicon import PREFIX as LEXICON_PREFIX
from cleaner.ruleset.model import (
    METADATA_FIELDS,
    VETTED_LINE_LENGTH,
    Action,
    HtmlSpec,
    Matcher,
    Rule,
    RuleSet,
    Scope,
    TitleSpec,
)
from cleaner.ruleset.options import Option
from cleaner.ruleset.structure import STRUCTURE_OPTIONS, StructureConfig

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


_ID = regex.compile(r"[a-z0-9][a-z0-9_.-]*")
_VAR_REF = regex.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: A host name: dot-separated labels of letters, digits and inner hyphens (IDN letters too).
_HOST = regex.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W_](?:[\w-]{0,61}[^\W_])?")
#: Longest pattern after its {{variables}} are expanded: far above any real rule, far below what a chain
#: of variables that each repeat the next can reach (16 uses over 7 levels: 500 million characters).
MAX_EXPANDED_PATTERN = 50_000
#: Most values a rule file may hold once its YAML aliases (`*name`) are expanded: an alias bomb of a few
#: hundred bytes expands to billions.
MAX_YAML_VALUES = 100_000
_LINE = "__line__"
_KEY_LINES = "__key_lines__"



@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule file."""

    file: str
    line: int
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" rule {self.rule!r}:" if self.rule else ""
        return f"{where}:{who} {self.message}"


class RuleFileError(Exception):
    """One or more rule files are invalid; `problems` lists each with file, line and rule."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records each mapping's line, refuses duplicate and complex keys, and bounds aliases."""

    first_alias: yaml.Mark | None = None  # where the document first uses an alias

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.first_alias is None and self.check_event(yaml.AliasEvent):
            self.first_alias = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)

    def compose_document(self) -> yaml.Node | None:
        node: yaml.Node | None = super().compose_document()
        if node is not None and self.first_alias is not None and _expanded_values(node) > MAX_YAML_VALUES:
            raise yaml.composer.ComposerError(
                None, None, f"the file expands to more than {MAX_YAML_VALUES:,} values through its YAML aliases "
                "(*name)", self.first_alias)
        return node


def _expanded_values(root: yaml.Node) -> int:
    """How many values a composed document holds with every alias expanded (each node's size counted once).

    A node that holds itself (a recursive alias) counts as too many.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = min(1 + sum(sizes[id(child)] for child in children), MAX_YAML_VALUES + 1)
            open_nodes.discard(id(node))
            continue
        if id(node) in open_nodes or any(id(child) in open_nodes for child in children):
            return MAX_YAML_VALUES + 1
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain name, not a list or a mapping", key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_KEY_LINES] = {key: line + 1 for key, line in seen.items()}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (a wheel), or `rules/` of a source checkout."""
    packaged = resources.files("cleaner") / "bundled_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def rule_files(directory: Path) -> list[Path]:
    """The YAML files under a rules folder, in a stable order."""
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one rule file safely; syntax errors become a `RuleFileError` with the line."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError([Problem(name, 0, None, f"cannot read rule file: {exc}")]) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> dict[str, Any]:
    """Parse the text of a rule file named `name` (see `read_yaml`)."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = " ".join(filter(None, [exc.context, exc.problem])) or str(exc)
        raise RuleFileError([Problem(name, line, None, f"YAML error: {message}")]) from None
    except yaml.YAMLError as exc:
        raise RuleFileError([Problem(name, 0, None, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise RuleFileError([Problem(name, 1, None, "YAML error: nested too deeply")]) from None
    if not isinstance(data, dict):
        raise RuleFileError([Problem(name, 1, None, "a rule file must be a mapping with at least 'id' and 'rules'")])
    return data


class _Compiler:
    """Turns the parsed YAML of one file into a `RuleSet`, collecting every problem."""

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
            if key in (_LINE, _KEY_LINES) or key in allowed:
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
            self.problem(line, rule, f"unknown variable {{{{{name}}}}} in pattern {_shown(source)}{tip}")
            return None

    def compile_pattern(
        self, source: Any, line: int, rule: str, *, flags: int, wrap: str = "{}", groups_allowed: bool = True
    ) -> regex.Pattern[str] | None:
        if not isinstance(source, str) or not source:
            self.problem(line, rule, f"a pattern must be a non-empty string, not {_shown(source)}")
            return None
        expanded = self.expand(source, line, rule)
        if expanded is None:
            return None
        try:
            compiled = regex.compile(wrap.format(expanded), flags | regex.VERSION0)
        except regex.error as exc:
            self.problem(line, rule, f"invalid regex {_shown(source)}: {exc}")
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
                    f"regex {_shown(source)} backtracks catastrophically (it ran past {PROBE_TIMEOUT}s on a "
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
            self.problem(line, rule, f"'ignore_case' must be true or false, not {_shown(ignore_case)}")
            ignore_case = False
        patterns = spec.get(key)
        texts = spec.get("text") if allow_text else None
        if patterns is None and texts is None:
            return None
        literals: set[str] = set()
        for text in _as_list(texts):
            if not isinstance(text, str) or not text.strip():
                self.problem(line, rule, f"'text' entries must be non-empty strings, not {_shown(text)}")
                continue
            expanded = expand_literal(text, self.phrases)  # "{{lexicon_advertisement}}": a line per phrase
            if expanded is None:
                self.problem(line, rule, f"'text' entry {_shown(text)} names a lexicon concept no file lists")
                continue
            for literal in expanded:
                literals.add(literal.strip().casefold() if ignore_case else literal.strip())
        compiled = []
        flags = regex.IGNORECASE if ignore_case else 0
        for source in _as_list(patterns):
            pattern = self.compile_pattern(source, line, rule, flags=flags, wrap=wrap, groups_allowed=groups_allowed)
            if pattern is not None:
                compiled.append(pattern)
        return Matcher(frozenset(literals), tuple(compiled), ignore_case, self.timeout, rule, self.vetted)

    def rule(self, data: Any, index: int, set_id: str, seen: set[str]) -> Rule | None:
        if not isinstance(data, dict):
            self.problem(0, None, f"rule #{index + 1} must be a mapping, not {type(data).__name__}")
            return None
        line = data.get(_LINE, 0)
        local_id = data.get("id", f"{index + 1}")
        if not isinstance(local_id, (str, int)) or not _ID.fullmatch(str(local_id)):
            self.problem(line, None, f"rule id {local_id!r} must be lower-case letters, digits, '-', '_' or '.'")
            local_id = str(index + 1)
        rule_id = f"{set_id}/{local_id}"
        if rule_id in seen:
            self.problem(line, rule_id, "two rules have this id")
        seen.add(rule_id)
        action_name = data.get("action")
        try:
            action = Action(action_name)
        except ValueError:
            hint = difflib.get_close_matches(str(action_name), [a.value for a in Action], n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else f" (one of {', '.join(a.value for a in Action)})"
            self.problem(self.key_line(data, "action"), rule_id, f"unknown or missing action {action_name!r}{tip}")
            return None
        spec = ACTION_SPECS[action]
        usable, hinted = self.check_rule_keys(data, spec, rule_id)
        if not usable:
            return None
        scope = self.scope(data, spec, rule_id)
        # ignore_case is read with the patterns it applies to (`matcher`)
        values = {key: self.option_value(data, OPTIONS[key], rule_id)
                  for key in ("with_previous", "with_next", "max_lines", "keep", "headlines")}
        wrap = {Action.CUT_PREFIX: "(?:{})", Action.CUT_SUFFIX: "(?:{})$"}.get(action, "{}")
        matcher = self.matcher(data, "pattern", self.key_line(data, "pattern"), rule_id, wrap=wrap,
                               allow_text=spec.text, groups_allowed=spec.captures)
        if spec.pattern == "required" and matcher is None:
            if not hinted & {"pattern", "text"}:  # a mistyped `patern:` is one error, not two
                need = "'pattern' or 'text'" if spec.text else "'pattern'"
                self.problem(line, rule_id, f"action {action.value!r} needs {need}")
            return None
        for key in spec.requires:
            if key not in data and key not in hinted:
                self.problem(line, rule_id, f"action {action.value!r} needs {key!r}")
        end = None
        if "end" in data:
            end = self.matcher({"pattern": data.get("end"), "ignore_case": data.get("ignore_case", False)},
                               "pattern", self.key_line(data, "end"), rule_id, groups_allowed=spec.captures)
            if end is None:
                self.problem(self.key_line(data, "end"), rule_id,
                             f"action {action.value!r} needs a valid 'end' pattern (its last line)")
        groups = [p.groupindex for p in (matcher.patterns if matcher else ()) + (end.patterns if end else ())]
        if action == Action.CAPTURE and matcher and not any(groups) and not ("end" in data and end is None):
            self.problem(line, rule_id, "a capture rule needs a named group, e.g. (?P<authors>...)")
        return Rule(
            id=rule_id, action=action, matcher=matcher, end=end, scope=scope, keep=values["keep"],
            with_previous=values["with_previous"], with_next=values["with_next"], max_lines=values["max_lines"],
            headlines=values["headlines"], languages=self.languages(data, rule_id), file=self.file, line=line,
        )

    def languages(self, data: dict[str, Any], rule: str) -> frozenset[str] | None:
        """The rule's `languages:` (ISO 639-1 codes), or None (every page) when it has none or they are wrong."""
        if "languages" not in data:
            return None
        value = data["languages"]
        if not isinstance(value, list) or not value or not all(
                isinstance(code, str) and LANGUAGE_CODE.fullmatch(code) for code in value):
            hint = " (YAML reads a bare no as false: write 'no')" if isinstance(value, list) and any(
                isinstance(code, bool) for code in value) else ""
            self.problem(self.key_line(data, "languages"), rule,
                         f"'languages' must be a list of ISO 639-1 codes such as [de, nl], not {_shown(value)}{hint}")
            return None
        return frozenset(value)

    def option_value(self, data: dict[str, Any], option: Option, rule: str) -> Any:
        """`data`'s value of a boolean or integer option, or its default (a problem at the key's line) when the
        value is not of its type (an integer at least `option.minimum`)."""
        value = data.get(option.name, option.default)
        if option.type == "boolean":
            if isinstance(value, bool):
                return value
            self.problem(self.key_line(data, option.name), rule,
                         f"{option.name!r} must be true or false, not {_shown(value)}")
        elif isinstance(value, int) and not isinstance(value, bool) and value >= option.minimum:
            return value
        else:
            self.problem(self.key_line(data, option.name), rule,
                         f"{option.name!r} must be a whole number >= {option.minimum}, not {_shown(value)}")
        return option.default

    @staticmethod
    def key_line(data: dict[str, Any], key: str) -> int:
        """The line of `key` in a mapping (that of the mapping where the key is absent)."""
        lines: dict[str, int] = data.get(_KEY_LINES, {})
        return int(lines.get(key, data.get(_LINE, 0)))

    def check_rule_keys(self, data: dict[str, Any], spec: ActionSpec, rule: str) -> tuple[bool, set[str]]:
        """Every key is one the rule's action reads, and no two exclude each other. Returns whether the rule is
        usable and the keys suggested for mistyped ones (a key so suggested is not reported missing too)."""
        allowed = allowed_keys(spec)
        usable = True
        hinted: set[str] = set()
        for key in data:
            if key in (_LINE, _KEY_LINES) or key in allowed:
                continue
            where = self.key_line(data, key)
            if key in RULE_KEYS:
                self.problem(where, rule, f"{key!r} does not apply to action {spec.action.value!r} "
                                          f"(it takes: {', '.join(allowed[1:])})")
                usable = key not in ("pattern", "text")
                continue
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            hinted.update(hint)
            tip = f" (did you mean {hint[0]!r}?)" if hint else f" (action {spec.action.value!r} takes: " \
                                                                f"{', '.join(allowed[1:])})"
            self.problem(where, rule, f"unknown key {key!r} in a rule{tip}")
        for first, second in spec.exclusive:
            if first in data and second in data:
                self.problem(self.key_line(data, second), rule,
                             f"{second!r} cannot go with {first!r} in action {spec.action.value!r}")
        return usable, hinted

    def scope(self, data: dict[str, Any], spec: ActionSpec, rule: str) -> Scope:
        """The rule's scope, one its action reads; with an option that reads every line (`end`), `any`."""
        scopes = spec.scopes
        whole = next((key for key in spec.single_scope if key in data), None)
        if whole:
            scopes = (Scope.ANY,)
        if "scope" not in data:
            return scopes[0]
        name = data["scope"]
        try:
            scope = Scope(name)
        except ValueError:
            self.problem(self.key_line(data, "scope"), rule,
                         f"scope {name!r} is not one of {', '.join(s.value for s in Scope)}")
            return scopes[0]
        if scope not in scopes:
            reads = "scope" if len(scopes) == 1 else "scopes"
            why = f" with {whole!r}" if whole else ""
            self.problem(self.key_line(data, "scope"), rule,
                         f"action {spec.action.value!r}{why} reads {reads} {', '.join(s.value for s in scopes)} only, "
                         f"not {name!r}")
            return scopes[0]
        return scope

    def title(self, data: Any, set_id: str) -> TitleSpec | None:
        if data is None:
            return None
        rule = f"{set_id}/title"
        if not isinstance(data, dict):
            self.problem(0, rule, "'title' must be a mapping with one of: first_line, before, after, pattern")
            return None
        line = data.get(_LINE, 0)
        self.check_keys(data, TITLE_KEYS, rule, "'title'")
        given = [k for k in TITLE_KEYS if k in data]
        if len(given) != 1:
            self.problem(line, rule, "'title' takes exactly one of: first_line, before, after, pattern")
            return None
        if data.get("first_line") is not None and data["first_line"] is not True:
            self.problem(line, rule, "'first_line' can only be true")
        matchers = {
            key: self.matcher({"pattern": data[key]}, "pattern", line, rule)
            for key in ("before", "after", "pattern")
            if key in data
        }
        return TitleSpec(first_line=data.get("first_line") is True, **matchers)

    def ruleset(self, data: dict[str, Any]) -> RuleSet:
        self.check_keys(data, FILE_KEYS.keys(), None, "the file")
        set_id = data.get("id")
        if not isinstance(set_id, str) or not _ID.fullmatch(set_id):
            self.problem(1, None, f"'id' must be lower-case letters, digits, '-', '_' or '.', not {set_id!r}")
            set_id = Path(self.file).stem
        domains = []
        for domain in _as_list(data.get("domains")):
            if not isinstance(domain, str) or not _HOST.fullmatch(domain.lower().removeprefix("www.")):
                self.problem(1, None, f"domain {_shown(domain)} must be a host name such as 'example.com'")
                continue
            domains.append(domain.lower().removeprefix("www."))
        signatures = []
        for source in _as_list(data.get("signatures")):
            pattern = self.compile_pattern(source, 1, f"{set_id}/signatures", flags=regex.MULTILINE)
            if pattern is not None:
                signatures.append(pattern)
        learned_from = data.get("learned_from")
        if self.kind == "learned":
            if not isinstance(learned_from, str) or not learned_from.strip():
                self.problem(self.key_line(data, "learned_from"), None,
                             "'learned_from' must name a group: a domain, 'site:<id>' or 'input:<path>'")
                learned_from = None
            if domains or signatures or data.get("title"):
                self.problem(1, None, "learned rules apply to the group they were learned from: 'domains', "
                                      "'signatures' and 'title' belong in a site rule")
            set_id = f"{LEARNED_PREFIX}{set_id}"
        if self.kind == "site" and not (domains or signatures):
            self.problem(1, None, "a site rule needs 'domains' or 'signatures' to be chosen for a page")
        if self.kind == "generic" and (domains or signatures or data.get("title")):
            self.problem(1, None, "generic rules apply to every page: 'domains', 'signatures' and 'title' "
                                  "belong in a site rule (rules/sites/)")
        family = data.get("family", False)
        if not isinstance(family, bool) or (family and self.kind != "site"):
            self.problem(self.key_line(data, "family"), None, "'family' must be true or false, in a site rule")
            family = False
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            self.problem(1, None, f"'name' must be a string, not {name!r}")
            name = None
        raw_rules = data.get("rules", [])
        if not isinstance(raw_rules, list):
            self.problem(1, None, "'rules' must be a list of rules")
            raw_rules = []
        seen: set[str] = set()
        rules = [self.rule(item, i, set_id, seen) for i, item in enumerate(raw_rules)]
        return RuleSet(
            id=set_id, kind=self.kind, file=self.file, name=name, domains=tuple(domains),
            signatures=tuple(signatures), title=self.title(data.get("title"), set_id),
            rules=tuple(r for r in rules if r is not None),
            language=data.get("language"), description=data.get("description"), family=family,
            html=self.html(data.get("html"), set_id),
            structure=self.structure(data.get("structure"), set_id, data),
            learned_from=learned_from if self.kind == "learned" else None,
        )

    def structure(self, data: Any, set_id: str, parent: dict[str, Any]) -> StructureConfig | None:
        """`structure:` of a site: thresholds and switches of the structure steps (see `StructureConfig`)."""
        if data is None:
            return None
        rule = f"{set_id}/structure"
        line = self.key_line(parent, "structure")
        if self.kind != "site":
            self.problem(line, rule, "'structure' belongs in a site rule (rules/sites/)")
            return None
        if not isinstance(data, dict):
            self.problem(line, rule, "'structure' must map an option to its value")
            return None
        self.check_keys(data, STRUCTURE_OPTIONS.keys(), rule, "'structure'")
        return StructureConfig(**{name: self.option_value(data, option, rule)
                                  for name, option in STRUCTURE_OPTIONS.items()})

    def html(self, data: Any, set_id: str) -> HtmlSpec | None:
        """`html:` of a site: `prune` and `body` XPaths, `meta` field -> XPath; each XPath is compiled here."""
        if data is None:
            return None
        rule = f"{set_id}/html"
        if self.kind != "site":
            self.problem(1, rule, "'html' belongs in a site rule (rules/sites/)")
            return None
        if not isinstance(data, dict):
            self.problem(1, rule, "'html' must be a mapping with any of: prune, body, meta")
            return None
        line = data.get(_LINE, 1)
        self.check_keys(data, HTML_KEYS.keys(), rule, "'html'")
        prune = self.xpaths(data.get("prune"), line, f"{rule}/prune")
        body = self.xpaths(data.get("body"), line, f"{rule}/body")
        meta: dict[str, tuple[str, ...]] = {}
        raw_meta = data.get("meta") or {}
        if not isinstance(raw_meta, dict):
            self.problem(line, f"{rule}/meta", "'meta' must map a field to an XPath or a list of XPaths")
            raw_meta = {}
        for field_name, expressions in raw_meta.items():
            if field_name in (_LINE, _KEY_LINES):
                continue
            if field_name not in HTML_META_FIELDS:
                self.problem(line, f"{rule}/meta", f"unknown field {field_name!r}; use one of "
                                                   f"{', '.join(sorted(HTML_META_FIELDS))}")
                continue
            meta[field_name] = self.xpaths(expressions, line, f"{rule}/meta/{field_name}")
        return HtmlSpec(prune=prune, body=body, meta=meta)

    def xpaths(self, value: Any, line: int, rule: str) -> tuple[str, ...]:
        from lxml import etree  # type: ignore[import-untyped]

        found = []
        for expression in _as_list(value):
            if not isinstance(expression, str):
                self.problem(line, rule, f"an XPath must be a string, not {_shown(expression)}")
                continue
            try:
                etree.XPath(expression)
            except etree.XPathSyntaxError as exc:
                self.problem(line, rule, f"invalid XPath {_shown(expression)}: {exc}")
                continue
            found.append(expression)
        return tuple(found)


def _shown(value: Any) -> str:
    """A value as the rule file wrote it: strings quoted but not escaped (`repr` would double a pattern's
    backslashes), mappings without the loader's line bookkeeping."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items() if k not in (_LINE, _KEY_LINES)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return repr(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


#: The rule set ids of learned files begin so, and so do their rules' ids ("learned/example.com/line-1").
LEARNED_PREFIX = "learned/"


def _kind_of(path: Path, root: Path, data: Mapping[str, Any]) -> str:
    """A file with `learned_from` holds learned rules (`cleaner learn` writes them); files under a `generic/`
    folder are generic rules (the folder given may be that folder itself: `rules check rules/generic`); the
    others (under `sites/`, or at the top) are site rules."""
    if "learned_from" in data:
        return "learned"
    parts = path.relative_to(root).parts
    return "generic" if "generic" in parts[:-1] or root.name == "generic" else "site"


def load_rules(
    directories: Iterable[Path | str] = (), *, bundled: bool = True, timeout: float = DEFAULT_PATTERN_TIMEOUT
) -> list[RuleSet]:
    """Load, validate and compile every rule file; later folders replace earlier sites with the same id.

    Raises `RuleFileError` listing every problem in every file. The compiled result is cached (see
    `cleaner.cache`) under a key made of every rule file's path and bytes, the settings and this package's
    code, so a second load of the same files costs milliseconds.
    """
    roots: list[Path] = []
    for root in ([bundled_rules_dir()] if bundled else []) + [Path(d) for d in directories]:
        if not any(_same_folder(root, seen) for seen in roots):  # `--rules rules` in a checkout: read once
            roots.append(root)
    entry = _cache_entry(roots, timeout)
    stored = cache.read(entry) if entry else None
    if stored is not None:
        try:
            loaded = pickle.loads(stored)
            if isinstance(loaded, list) and all(isinstance(r, RuleSet) for r in loaded):
                return loaded
        except Exception:  # a damaged or foreign entry is no entry
            pass
    rulesets = _load_rules(roots, timeout)
    _probe_cache().save()
    if entry:
        cache.write(entry, pickle.dumps(rulesets, protocol=pickle.HIGHEST_PROTOCOL))
    return rulesets


def learned_rulesets(files: Mapping[str, str], timeout: float = DEFAULT_PATTERN_TIMEOUT) -> list[RuleSet]:
    """Compile learned rule files given as text by name (`cleaner clean --learn` without a folder to keep
    them in); raises `RuleFileError` as `load_rules` does. They use no variables or lexicon."""
    problems: list[Problem] = []
    rulesets = []
    for name, text in files.items():
        try:
            data = parse_yaml(text, name)
        except RuleFileError as exc:
            problems.extend(exc.problems)
            continue
        compiler = _Compiler(Path(name), "learned", {}, timeout, vetted=False)
        if "learned_from" not in data:
            compiler.problem(1, None, "a learned rule file needs 'learned_from'")
        rulesets.append(compiler.ruleset(data))
        problems.extend(compiler.problems)
    if problems:
        raise RuleFileError(problems)
    return rulesets


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def _cache_entry(roots: Sequence[Path], timeout: float) -> str | None:
    """The cache entry of these rule folders' compiled rules (None when a folder cannot be read)."""
    code = Path(__file__).parent
    parts: list[bytes | str] = [sys.version, regex.__version__, yaml.__version__, repr(timeout)]
    try:
        parts.extend(source.read_bytes() for source in sorted(code.glob("*.py")))
        for root in roots:
            parts.append(str(root.resolve()))
            for path in rule_files(root) if root.is_dir() else ():
                parts.extend((str(path), path.read_bytes()))
    except OSError:
        return None
    return f"rules-{content_key(parts)}.pickle"


def _load_rules(roots: Sequence[Path], timeout: float) -> list[RuleSet]:
    parsed: list[tuple[Path, Path, str, dict[str, Any]]] = []
    problems: list[Problem] = []
    for root in roots:
        if not root.is_dir():
            problems.append(Problem(str(root), 0, None, "rules folder does not exist"))
            continue
        for path in rule_files(root):
            try:
                data = read_yaml(path)
                parsed.append((root, path, _kind_of(path, root, data), data))
            except RuleFileError as exc:
                problems.extend(exc.problems)
    variables: dict[str, str] = lexicon_variables(data for _, _, _, data in parsed)
    phrases = lexicon_phrases(data for _, _, _, data in parsed)
    for _, path, _, data in parsed:
        for line, message in lexicon_problems(data, _Compiler.key_line(data, "lexicon")):
            problems.append(Problem(str(path), line, None, message))
        file_vars = data.get("vars") or {}
        if not isinstance(file_vars, dict):
            problems.append(Problem(str(path), data.get(_LINE, 1), None, "'vars' must be a mapping of name: regex"))
            continue
        for name, value in file_vars.items():
            if name in (_LINE, _KEY_LINES):
                continue
            line = _Compiler.key_line(file_vars, name)
            if isinstance(name, str) and name.startswith(LEXICON_PREFIX):
                problems.append(Problem(str(path), line, None, f"variable names starting {LEXICON_PREFIX!r} are "
                                        "the lexicon's: put the phrases in a 'lexicon:' instead"))
            elif not isinstance(value, str):
                problems.append(Problem(str(path), line, None, f"variable {name!r} must be a string"))
            elif variables.get(name, value) != value:
                problems.append(Problem(str(path), line, None,
                                        f"variable {name!r} is defined differently in another rule file"))
            else:
                variables[name] = value
    by_id: dict[tuple[str, str], RuleSet] = {}
    bundled = bundled_rules_dir()
    origin: dict[tuple[str, str], tuple[Path, Path]] = {}
    for root, path, kind, data in parsed:
        compiler = _Compiler(path, kind, variables, timeout, vetted=_same_folder(root, bundled), phrases=phrases)
        ruleset = compiler.ruleset(data)
        problems.extend(compiler.problems)
        key = (kind, ruleset.id)
        if key in origin and origin[key][0] == root:
            problems.append(Problem(str(path), 1, None, f"id {ruleset.id!r} is also used by {origin[key][1]}"))
        origin[key] = (root, path)
        by_id[key] = ruleset  # a later folder replaces a bundled rule set with the same id
    if problems:
        raise RuleFileError(problems)
    return list(by_id.values())
