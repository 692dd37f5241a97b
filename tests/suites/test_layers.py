"""The package's layers: each module imports only its own layer and those below it, no import circle (imports
inside functions and under TYPE_CHECKING count), and no module over 400 lines. docs/architecture.md draws the
same layers; a move that breaks them fails here."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cleaner"
MAX_MODULE_LINES = 400

#: Bottom to top. A module belongs to the first layer one of whose prefixes it starts with; what no prefix
#: names is the floor (`cleaner.document`, `cleaner.errors`, `cleaner.files`, ...).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rules", ("cleaner.ruleset",)),
    ("stages", ("cleaner.stages", "cleaner.html", "cleaner.learning")),
    ("pipeline", ("cleaner.pipeline",)),
    ("run", ("cleaner.run",)),
    ("api", ("cleaner.api",)),
    ("tools", ("cleaner.tools",)),
    ("commands", ("cleaner.cli", "cleaner.integrations", "cleaner.__main__")),
)
#: The package itself exports the API (`from cleaner import Cleaner`): it is the top, not a layer.
ENTRY = "cleaner"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    if module == ENTRY:
        return len(LAYERS) + 1
    for number, (_, prefixes) in enumerate(LAYERS, start=1):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    return 0


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """Every module of the package `module` imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cleaner"):
            targets = [_resolve(f"{node.module}.{alias.name}") or _resolve(node.module) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [_resolve(alias.name) for alias in node.names if alias.name.startswith("cleaner")]
        else:
            continue
        found |= {t for t in targets if t and t not in (module, ENTRY)}
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def test_each_module_imports_only_its_layer_and_those_below() -> None:
    upward = [f"{m} ({_layer(m)}) imports {t} ({_layer(t)})" for m, targets in GRAPH.items() for t in targets
              if _layer(t) > _layer(m)]
    assert upward == []


def test_no_import_circle() -> None:
    state: dict[str, int] = defaultdict(int)  # 0 unseen, 1 on the path, 2 done
    circles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state[target] == 1:
                circles.append([*path[path.index(target):], target])
            elif state[target] == 0:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if state[module] == 0:
            visit(module, [module])
    assert circles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_400_lines(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines"


def test_the_check_sees_an_upward_import_and_a_circle() -> None:
    """The checks themselves: a stage importing the run is upward, two modules importing each other a circle."""
    assert _layer("cleaner.stages.segment") < _layer("cleaner.run.corpus") < _layer("cleaner.api")
    assert _layer("cleaner.document") == 0 and _layer("cleaner.cli.clean") == len(LAYERS)
