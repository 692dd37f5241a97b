"""Rule files read as YAML, safely, with the line of every mapping and key kept for error messages.

`SafeLoader` (no object from a tag), duplicate and complex keys refused, aliases bounded (an alias bomb of a
few hundred bytes expands to billions of values); `shown` and `as_list` give a value as the file wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cleaner.errors import Problem, RuleFileError

#: Most values a rule file may hold once its YAML aliases (`*name`) are expanded: an alias bomb of a few
#: hundred bytes expands to billions.
MAX_YAML_VALUES = 100_000
LINE = "__line__"
KEY_LINES = "__key_lines__"



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
    mapping[LINE] = node.start_mark.line + 1
    mapping[KEY_LINES] = {key: line + 1 for key, line in seen.items()}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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


def shown(value: Any) -> str:
    """A value as the rule file wrote it: strings quoted but not escaped (`repr` would double a pattern's
    backslashes), mappings without the loader's line bookkeeping."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items() if k not in (LINE, KEY_LINES)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return repr(value)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
