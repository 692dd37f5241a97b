"""Tools for rule authors: check rule folders, run a rule file's examples, compare a result with what it should be.

An example is a page (`NAME.txt` or `NAME.html`) with `NAME.expected.json` beside it: the body (`text`),
lines and snippets that must not survive (`chrome_lines`, `chrome_snippets`), and any metadata field
(`title`, `outlet`, `published`, `authors`, `editors`, `dateline`, `site`); a field left out or null is not
judged, and `url` is passed to the cleaner. A site rule file `rules/sites/x.yaml` keeps its examples in
`rules/sites/x.tests/`, where `site` defaults to the file's id; the project's own fixtures use the same format.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import Problem, RuleFileError
from cleaner.learning.groups import INPUT_GROUP, SITE_GROUP
from cleaner.ruleset.loader import load_rules
from cleaner.ruleset.yaml_lines import read_yaml, rule_files

#: The metadata fields an example may judge, in the order differences are reported.
JUDGED_FIELDS = ("site", "title", "outlet", "published", "authors", "editors", "dateline")
_PAGE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class CheckReport:
    """What `cleaner rules check` found: the files and rules of the folders checked, or their problems."""

    files: int
    rules: int
    problems: tuple[Problem, ...]


def check_rule_folders(folders: Sequence[Path], *, bundled: bool = True) -> CheckReport:
    """Validate rule folders with the loader's own checks (with the bundled rules, whose variables they may use)."""
    files = [path for folder in folders if folder.is_dir() for path in rule_files(folder)]
    try:
        rulesets = load_rules(folders, bundled=bundled)
    except RuleFileError as exc:
        return CheckReport(len(files), 0, tuple(exc.problems))
    mine = {path.resolve() for path in files}  # the loader may have read a file by another path (the bundled one)
    return CheckReport(len(files), sum(len(r.rules) for r in rulesets if Path(r.file).resolve() in mine), ())


@dataclass(frozen=True)
class Example:
    """A page and what cleaning it must give; `site` is the rule set it belongs to, when known."""

    page: Path
    expected: Path
    site: str | None = None
    learned_from: str | None = None  # an example beside a learned file: cleaned as a page of that group

    @property
    def name(self) -> str:
        return str(self.expected).removesuffix(".expected.json")


def page_for(expected: Path) -> Path:
    """The page beside `NAME.expected.json`: `NAME.txt`, else `NAME.html` or `.htm` (`NAME.txt` when none is there)."""
    stem = expected.name.removesuffix(".expected.json")
    return next((expected.with_name(stem + s) for s in _PAGE_SUFFIXES if expected.with_name(stem + s).is_file()),
                expected.with_name(stem + ".txt"))


def _examples_in(folder: Path, site: str | None, learned_from: str | None = None) -> list[Example]:
    return [Example(page_for(expected), expected, site, learned_from)
            for expected in sorted(folder.rglob("*.expected.json"))]


def find_examples(folders: Sequence[Path], extra: Sequence[Path] = ()) -> list[Example]:
    """The examples beside the rule files of `folders` (`x.yaml` -> `x.tests/`), then those under `extra`."""
    examples: list[Example] = []
    for folder in folders:
        for path in rule_files(folder) if folder.is_dir() else ():
            tests = path.with_suffix(".tests")
            if tests.is_dir():
                set_id, learned_from = _rule_set_id(path)
                examples += _examples_in(tests, None if learned_from else set_id, learned_from)
    for folder in extra:
        examples += _examples_in(folder, None)
    return examples


def _rule_set_id(path: Path) -> tuple[str | None, str | None]:
    """A rule file's id, and the group it was learned from (None for a site's file)."""
    try:
        data = read_yaml(path)
    except RuleFileError:
        return None, None
    value, learned_from = data.get("id"), data.get("learned_from")
    return (value if isinstance(value, str) else None), (learned_from if isinstance(learned_from, str) else None)


def _as_member(learned_from: str | None, url: str | None) -> tuple[str | None, str | None]:
    """The URL and input an example is cleaned with so that it is a page of the group a learned file names: its
    own URL, else the group's domain as one; the group's input (`input:PATH`) as its input."""
    if learned_from is None:
        return url, None
    if learned_from.startswith(INPUT_GROUP):
        return url, learned_from.removeprefix(INPUT_GROUP)
    if url is None and not learned_from.startswith(SITE_GROUP):
        url = f"https://{learned_from}/"
    return url, None


def paragraphs(text: str) -> list[str]:
    """A body's paragraphs, whitespace collapsed: how bodies are compared."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def differences(record: dict[str, Any], expected: dict[str, Any], site: str | None = None) -> list[str]:
    """How a cleaned record differs from an example's expectation, as lines to print (empty: it matches)."""
    found: list[str] = []
    got_body, want_body = paragraphs(record.get("text") or ""), paragraphs(expected.get("text") or "")
    if "text" in expected and got_body != want_body:
        found.append("body differs (- expected, + got):")
        found += ["  " + line for line in difflib.unified_diff(want_body, got_body, lineterm="", n=1)][2:]
    lines = {" ".join(line.split()) for line in (record.get("text") or "").split("\n")}
    flat = " ".join((record.get("text") or "").split())
    found += [f"chrome line survived: {c!r}" for c in expected.get("chrome_lines", []) if " ".join(c.split()) in lines]
    found += [f"chrome snippet survived: {s!r}" for s in expected.get("chrome_snippets", []) if s in flat]
    wanted = dict(expected)
    if site and wanted.get("site") is None:
        wanted["site"] = site
    for name in JUDGED_FIELDS:
        want, got = wanted.get(name), record.get(name)
        if want is None:
            continue
        if name == "outlet":
            same = got in (want if isinstance(want, list) else [want])
        elif name == "published":
            same = isinstance(got, str) and got.startswith(want)
        else:
            same = got == want
        if not same:
            found.append(f"{name}: expected {want!r}, got {got!r}")
    return found


@dataclass
class ExampleResult:
    example: Example
    problems: list[str] = field(default_factory=list)


def run_examples(examples: Iterable[Example], folders: Sequence[Path], *, bundled: bool = True) -> list[ExampleResult]:
    """Clean each example with the bundled rules and `folders`; raises `RuleFileError` if the rules are invalid."""
    from cleaner.api import Cleaner

    cleaner = Cleaner(folders, bundled_rules=bundled)
    results = []
    for example in examples:
        result = ExampleResult(example)
        try:
            expected = json.loads(example.expected.read_text(encoding="utf-8"))
            page = example.page.read_bytes()
        except (OSError, ValueError) as exc:
            result.problems.append(f"cannot read the example: {exc}")
            results.append(result)
            continue
        if not isinstance(expected, dict):
            result.problems.append("the .expected.json file must hold an object")
        else:
            url, source = _as_member(example.learned_from, expected.get("url"))
            cleaned = cleaner.clean_or_error(page, url=url, id=example.name, source=source)
            if cleaned.error:
                result.problems.append(f"cleaning failed: {cleaned.error}")
            else:
                result.problems += differences(cleaned.to_dict(), expected, example.site)
        results.append(result)
    return results


@dataclass(frozen=True)
class RulesListing:
    """What a rules folder (with the bundled rules) holds: sites with their domains and rule counts, the
    generic rule sets, and the languages each lexicon concept has phrases in."""

    sites: tuple[tuple[str, str, tuple[str, ...], int], ...]  # (id, name, domains, rules)
    generic: tuple[tuple[str, int], ...]  # (id, rules)
    concepts: tuple[tuple[str, tuple[str, ...]], ...]  # (concept, languages)


def list_rules(folders: Sequence[Path], *, bundled: bool = True) -> RulesListing:
    """The rule sets the loader reads from `folders` (and the bundled ones), and the lexicon's concepts by
    language (from the same files' `lexicon:`). Raises `RuleFileError` as loading does."""
    from cleaner.ruleset.loader import bundled_rules_dir
    from cleaner.ruleset.yaml_lines import read_yaml

    rulesets = load_rules(folders, bundled=bundled)
    sites = tuple(sorted((r.id, r.name or "", r.domains, len(r.rules)) for r in rulesets if r.kind == "site"))
    generic = tuple(sorted((r.id, len(r.rules)) for r in rulesets if r.kind == "generic"))
    languages: dict[str, set[str]] = {}
    for folder in ([bundled_rules_dir()] if bundled else []) + list(folders):
        for path in rule_files(folder) if folder.is_dir() else ():
            data = read_yaml(path)
            lexicon, language = data.get("lexicon"), data.get("language")
            if isinstance(lexicon, dict) and isinstance(language, str):
                for concept in lexicon:
                    languages.setdefault(str(concept), set()).add(language)
    concepts = tuple(sorted((concept, tuple(sorted(codes))) for concept, codes in languages.items()))
    return RulesListing(sites, generic, concepts)


def render_listing(listing: RulesListing) -> str:
    """`cleaner rules list` as text: one line per site, the generic rule sets, the concepts' languages."""
    out = [f"sites ({len(listing.sites)}):"]
    width = max((len(site[0]) for site in listing.sites), default=0)
    for site_id, name, domains, count in listing.sites:
        shown = ", ".join(domains[:3]) + (f" (+{len(domains) - 3})" if len(domains) > 3 else "")
        out.append(f"  {site_id:<{width}}  {count:>3} rules  {name}  [{shown}]")
    total = sum(count for _, count in listing.generic)
    out += ["", f"generic ({len(listing.generic)} files, {total} rules):"]
    out += [f"  {set_id}: {count}" for set_id, count in listing.generic if count]
    out += ["", f"lexicon concepts ({len(listing.concepts)}), by language:"]
    width = max((len(concept) for concept, _ in listing.concepts), default=0)
    out += [f"  {concept:<{width}}  {' '.join(codes)}" for concept, codes in listing.concepts]
    return "\n".join(out) + "\n"
