"""The JSON Schema of rule files, made from the action table (`actions.py`), never written by hand.

Editors that read `# yaml-language-server: $schema=...` complete keys and show each one's docs from it.
The loader's checks go further (regexes compile and do not backtrack, variables exist, named groups are
metadata fields), so a file the schema accepts can still be refused at load; one it refuses never loads.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from cleaner.ruleset.actions import (
    ACTION_SPECS,
    FILE_KEYS,
    HTML_KEYS,
    HTML_META_FIELDS,
    OPTIONS,
    SCOPES,
    TITLE_KEYS,
    ActionSpec,
)
from cleaner.ruleset.model import METADATA_FIELDS
from cleaner.ruleset.options import Option
from cleaner.ruleset.structure import STRUCTURE_OPTIONS

_ID_PATTERN = "^[a-z0-9][a-z0-9_.-]*$"


def _one_or_many(item: dict[str, Any], doc: str) -> dict[str, Any]:
    return {"description": doc, "anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}


_PATTERN = {"type": "string", "minLength": 1}
_TEXT = {"type": "string", "pattern": r"\S"}
_XPATH = {"type": "string", "minLength": 1}


def _option(option: Option) -> dict[str, Any]:
    if option.type == "pattern":
        return _one_or_many(_PATTERN, option.doc)
    schema: dict[str, Any] = {"type": option.type, "description": option.doc}
    if option.type == "integer":
        schema["minimum"] = option.minimum
    if option.default is not None:
        schema["default"] = option.default
    return schema


def _rule_schema(spec: ActionSpec) -> dict[str, Any]:
    """The keys one action's rules may have, and which must or must not go together."""
    properties: dict[str, Any] = {
        "id": {"type": ["string", "integer"], "pattern": _ID_PATTERN,
               "description": "the rule's id within the file (default: its position)"},
        "action": {"const": spec.action.value, "description": spec.summary},
    }
    if spec.pattern != "none":
        groups = f"; named groups ({', '.join(sorted(METADATA_FIELDS))}) are captured" if spec.captures else ""
        properties["pattern"] = _one_or_many(_PATTERN, "a regex (or a list of them), {{var}} expanded" + groups)
    if spec.text:
        properties["text"] = _one_or_many(_TEXT, "a literal line (or a list of them), matched whole")
    properties["scope"] = {"enum": [scope.value for scope in spec.scopes], "default": spec.scopes[0].value,
                           "description": "; ".join(f"{s.value}: {SCOPES[s]}" for s in spec.scopes)}
    properties["languages"] = {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2,3}$"},
                               "minItems": 1, "uniqueItems": True,
                               "description": "the languages (ISO 639-1) of the pages the rule acts on"}
    for name in spec.options:
        properties[name] = _option(OPTIONS[name])
    schema: dict[str, Any] = {"properties": properties, "additionalProperties": False}
    required = list(spec.requires)
    checks: list[dict[str, Any]] = []
    if spec.pattern == "required":
        if spec.text:
            checks.append({"anyOf": [{"required": ["pattern"]}, {"required": ["text"]}]})
        else:
            required.append("pattern")
    if required:
        schema["required"] = required
    checks += [{"not": {"required": [first, second]}} for first, second in spec.exclusive]
    checks += [{"if": {"required": [key]}, "then": {"properties": {"scope": {"const": "any"}}}}
               for key in spec.single_scope]
    if checks:
        schema["allOf"] = checks
    return schema


def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a rule file."""
    actions = [spec.action.value for spec in ACTION_SPECS.values()]
    rule = {
        "type": "object",
        "required": ["action"],
        "properties": {"action": {"enum": actions, "description": "what the rule does with the lines it matches"}},
        "allOf": [{"if": {"properties": {"action": {"const": spec.action.value}}, "required": ["action"]},
                   "then": _rule_schema(spec)} for spec in ACTION_SPECS.values()],
    }
    title = {
        "type": "object",
        "description": FILE_KEYS["title"],
        "properties": {key: ({"const": True, "description": doc} if key == "first_line" else
                             {**_PATTERN, "description": doc}) for key, doc in TITLE_KEYS.items()},
        "additionalProperties": False,
        "minProperties": 1,
        "maxProperties": 1,
    }
    html = {
        "type": "object",
        "description": FILE_KEYS["html"],
        "properties": {
            "prune": _one_or_many(_XPATH, HTML_KEYS["prune"]),
            "body": _one_or_many(_XPATH, HTML_KEYS["body"]),
            "meta": {"type": "object", "description": HTML_KEYS["meta"], "additionalProperties": False,
                     "properties": {field: _one_or_many(_XPATH, f"XPath(s) whose value is the page's {field}")
                                    for field in HTML_META_FIELDS}},
        },
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": _ID_PATTERN, "description": FILE_KEYS["id"]},
        "name": {"type": "string", "description": FILE_KEYS["name"]},
        "description": {"type": "string", "description": FILE_KEYS["description"]},
        "language": {"type": "string", "description": FILE_KEYS["language"]},
        "domains": _one_or_many({"type": "string", "pattern": r"^[^\s/:]+\.[^\s/:]+$"}, FILE_KEYS["domains"]),
        "signatures": _one_or_many(_PATTERN, FILE_KEYS["signatures"]),
        "family": {"type": "boolean", "description": FILE_KEYS["family"]},
        "title": title,
        "vars": {"type": "object", "description": FILE_KEYS["vars"],
                 "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}, "additionalProperties": {"type": "string"}},
        "lexicon": {"type": "object", "description": FILE_KEYS["lexicon"],
                    "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                    "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}}},
        "rules": {"type": "array", "description": FILE_KEYS["rules"], "items": rule},
        "html": html,
        "structure": {"type": "object", "description": FILE_KEYS["structure"], "additionalProperties": False,
                      "properties": {name: _option(option) for name, option in STRUCTURE_OPTIONS.items()}},
        "learned_from": {"type": "string", "minLength": 1, "description": FILE_KEYS["learned_from"]},
    }
    assert set(properties) == set(FILE_KEYS), "every file key has a schema"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cleaner rule file",
        "description": "A YAML file of cleaner rules: generic (rules/generic/), for one site (rules/sites/), or "
                       "learned from a corpus by `cleaner learn` (with learned_from).",
        "type": "object",
        "required": ["id"],
        "properties": properties,
        "additionalProperties": False,
    }


def shipped_schema_path() -> Path:
    """The schema file shipped in the package (`cleaner rules schema` writes the same), for `$schema=` lines."""
    return Path(str(resources.files("cleaner") / "rule-file.schema.json"))
