"""A rule file's parsed YAML to a `RuleSet`: every rule checked against the action table, its scope, options,
languages and patterns; the title, structure and HTML sections; every problem collected with its line.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import regex

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
)
from cleaner.ruleset.model import (
    Action,
    HtmlSpec,
    Rule,
    RuleSet,
    Scope,
    TitleSpec,
)
from cleaner.ruleset.options import Option
from cleaner.ruleset.patterns import PatternCompiler
from cleaner.ruleset.structure import STRUCTURE_OPTIONS, StructureConfig
from cleaner.ruleset.yaml_lines import KEY_LINES, LINE, as_list, shown

_ID = regex.compile(r"[a-z0-9][a-z0-9_.-]*")
#: A host name: dot-separated labels of letters, digits and inner hyphens (IDN letters too).
_HOST = regex.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W_](?:[\w-]{0,61}[^\W_])?")


#: The rule set ids of learned files begin so, and so do their rules' ids ("learned/example.com/line-1").
LEARNED_PREFIX = "learned/"


class Compiler(PatternCompiler):
    """Turns the parsed YAML of one file into a `RuleSet`, collecting every problem."""

    def rule(self, data: Any, index: int, set_id: str, seen: set[str]) -> Rule | None:
        if not isinstance(data, dict):
            self.problem(0, None, f"rule #{index + 1} must be a mapping, not {type(data).__name__}")
            return None
        line = data.get(LINE, 0)
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
                         f"'languages' must be a list of ISO 639-1 codes such as [de, nl], not {shown(value)}{hint}")
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
                         f"{option.name!r} must be true or false, not {shown(value)}")
        elif isinstance(value, int) and not isinstance(value, bool) and value >= option.minimum:
            return value
        else:
            self.problem(self.key_line(data, option.name), rule,
                         f"{option.name!r} must be a whole number >= {option.minimum}, not {shown(value)}")
        return option.default

    def check_rule_keys(self, data: dict[str, Any], spec: ActionSpec, rule: str) -> tuple[bool, set[str]]:
        """Every key is one the rule's action reads, and no two exclude each other. Returns whether the rule is
        usable and the keys suggested for mistyped ones (a key so suggested is not reported missing too)."""
        allowed = allowed_keys(spec)
        usable = True
        hinted: set[str] = set()
        for key in data:
            if key in (LINE, KEY_LINES) or key in allowed:
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
        line = data.get(LINE, 0)
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
        for domain in as_list(data.get("domains")):
            if not isinstance(domain, str) or not _HOST.fullmatch(domain.lower().removeprefix("www.")):
                self.problem(1, None, f"domain {shown(domain)} must be a host name such as 'example.com'")
                continue
            domains.append(domain.lower().removeprefix("www."))
        signatures = []
        for source in as_list(data.get("signatures")):
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
        line = data.get(LINE, 1)
        self.check_keys(data, HTML_KEYS.keys(), rule, "'html'")
        prune = self.xpaths(data.get("prune"), line, f"{rule}/prune")
        body = self.xpaths(data.get("body"), line, f"{rule}/body")
        meta: dict[str, tuple[str, ...]] = {}
        raw_meta = data.get("meta") or {}
        if not isinstance(raw_meta, dict):
            self.problem(line, f"{rule}/meta", "'meta' must map a field to an XPath or a list of XPaths")
            raw_meta = {}
        for field_name, expressions in raw_meta.items():
            if field_name in (LINE, KEY_LINES):
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
        for expression in as_list(value):
            if not isinstance(expression, str):
                self.problem(line, rule, f"an XPath must be a string, not {shown(expression)}")
                continue
            try:
                etree.XPath(expression)
            except etree.XPathSyntaxError as exc:
                self.problem(line, rule, f"invalid XPath {shown(expression)}: {exc}")
                continue
            found.append(expression)
        return tuple(found)
