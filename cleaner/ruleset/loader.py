"""Load rule folders: find, read, validate and compile every rule file once (cached), later folders replacing
earlier sites with the same id; and the learned files `cleaner learn` writes.

Errors name the file, the line and the rule, so a user who drops a broken rule file in a folder learns what to
fix before any document is read (`cleaner.ruleset.yaml_lines` reads, `patterns` and `compile` check).
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import regex
import yaml

from cleaner import cache
from cleaner.cache import content_key
from cleaner.errors import Problem, RuleFileError
from cleaner.ruleset.compile import Compiler
from cleaner.ruleset.lexicon import PREFIX as LEXICON_PREFIX
from cleaner.ruleset.lexicon import (
    lexicon_phrases,
    lexicon_problems,
    lexicon_variables,
)
from cleaner.ruleset.model import (
    RuleSet,
)
from cleaner.ruleset.patterns import DEFAULT_PATTERN_TIMEOUT, _probe_cache
from cleaner.ruleset.yaml_lines import KEY_LINES, LINE, parse_yaml, read_yaml, rule_files


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (a wheel), or `rules/` of a source checkout."""
    packaged = resources.files("cleaner") / "bundled_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


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
        compiler = Compiler(Path(name), "learned", {}, timeout, vetted=False)
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
        for line, message in lexicon_problems(data, Compiler.key_line(data, "lexicon")):
            problems.append(Problem(str(path), line, None, message))
        file_vars = data.get("vars") or {}
        if not isinstance(file_vars, dict):
            problems.append(Problem(str(path), data.get(LINE, 1), None, "'vars' must be a mapping of name: regex"))
            continue
        for name, value in file_vars.items():
            if name in (LINE, KEY_LINES):
                continue
            line = Compiler.key_line(file_vars, name)
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
        compiler = Compiler(path, kind, variables, timeout, vetted=_same_folder(root, bundled), phrases=phrases)
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
