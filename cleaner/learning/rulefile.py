"""Learned chrome as rule files: one YAML file per group, ordinary rules a user reviews, edits and keeps.

A line becomes a literal `drop_line` rule, a frame a `drop_line` pattern (its label, then anything), a prefix
and a suffix `cut_prefix` / `cut_suffix` patterns, an opening a `drop_span` anchored at the line's start
before a capital; each rule's `note` says in how many of how many documents
it was seen and names two of them. Files are written whole (a temporary file renamed), and a folder that
already holds learned files is only replaced when asked: a rerun never mixes two corpora's rules silently.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from cleaner.files import OutputError, write_side_file
from cleaner.learning.counts import GroupCounts, Kind, Learned
from cleaner.ruleset.loader import learned_rulesets
from cleaner.ruleset.model import RuleSet
from cleaner.ruleset.patterns import DEFAULT_PATTERN_TIMEOUT
from cleaner.ruleset.structure import DEFAULT_STRUCTURE, StructureConfig
from cleaner.ruleset.yaml_lines import parse_yaml

#: The longest value a learned frame's label takes after it.
FRAME_VALUE_CHARS = 300
_UNSAFE = regex.compile(r"[^a-z0-9._-]+")


def file_id(group: str) -> str:
    """A group's rule set id and file name: its name in lower case with other characters as '-', and a short
    hash where that changed it (two inputs' paths must not meet in one name)."""
    slug = _UNSAFE.sub("-", group.lower()).strip("-.") or "group"
    if slug != group:
        slug = f"{slug[:80]}-{hashlib.sha256(group.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return slug


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _pattern(item: Learned) -> str:
    if item.kind == Kind.FRAME:
        label, separator = item.text[:-1], item.text[-1]
        return (regex.escape(label, special_only=True, literal_spaces=True) + " ?"
                + regex.escape(separator, special_only=True) + f" ?.{{1,{FRAME_VALUE_CHARS}}}")
    escaped = regex.escape(item.text, special_only=True, literal_spaces=True)  # a suffix's `$` is the loader's
    return f"^{escaped}(?= \\p{{Lu}})" if item.kind == Kind.OPENING else escaped


_ACTIONS = {Kind.LINE: "drop_line", Kind.FRAME: "drop_line", Kind.PREFIX: "cut_prefix", Kind.SUFFIX: "cut_suffix",
            Kind.OPENING: "drop_span"}
_WHAT = {Kind.LINE: "line", Kind.FRAME: "frame", Kind.PREFIX: "prefix", Kind.SUFFIX: "suffix",
         Kind.OPENING: "opening"}


def render(group: str, documents: int, chrome: Iterable[Learned]) -> str:
    """The rule file of one group's chrome."""
    ident = file_id(group)
    out = [
        f"# Learned by `cleaner learn` from {documents} documents of {group}. Review each rule: delete what is",
        "# the article's, edit what is too wide; then keep the file with your rules (`cleaner rules check`).",
        f"id: {ident}",
        f"learned_from: {_quoted(group)}",
        f"description: {_quoted(f'Chrome repeated across {documents} documents of {group}')}",
        "rules:",
    ]
    numbers = dict.fromkeys(Kind, 0)
    for item in chrome:
        numbers[item.kind] += 1
        examples = ", ".join(item.examples)
        out.append(f"  - id: {_WHAT[item.kind]}-{numbers[item.kind]}")
        out.append(f"    action: {_ACTIONS[item.kind]}")
        if item.kind == Kind.LINE:
            out.append(f"    text: [{_quoted(item.text)}]")
        else:
            out.append(f"    pattern: {_quoted(_pattern(item))}")
        prose = "; reads like prose, closes the body" if item.reads_like_prose else ""
        out.append(f"    note: {_quoted(f'seen in {item.documents} of {item.of} documents{prose} (e.g. {examples})')}")
    if not any(numbers.values()):
        out[-1] = "rules: []"
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class LearnedRules:
    """Rule files learned from a corpus, by file name (`<id>.yaml`), as YAML text; write them to a folder to
    review and keep them, or hand them to a `Cleaner` (`Cleaner(learned=...)`) to clean with them."""

    files: tuple[tuple[str, str], ...] = ()
    folder: str | None = None  # where they were read from or written to (their rules' file:line point there)
    groups: tuple[tuple[str, int, int], ...] = ()  # of learning: each group, its documents, the rules it learned

    @classmethod
    def from_counts(cls, groups: Mapping[str, GroupCounts], structures: Mapping[str, StructureConfig] | None = None
                    ) -> LearnedRules:
        """A file per group that learned something (`structures`: a site's own thresholds, by group)."""
        files, summary = [], []
        for group in sorted(groups):
            counts = groups[group]
            chrome = counts.chrome((structures or {}).get(group, DEFAULT_STRUCTURE))
            summary.append((group, counts.documents, len(chrome)))
            if chrome:
                files.append((file_id(group) + ".yaml", render(group, counts.documents, chrome)))
        return cls(tuple(files), None, tuple(summary))

    @classmethod
    def read(cls, folder: str | os.PathLike[str]) -> LearnedRules:
        """The learned rule files of a folder (the `.yaml` files with `learned_from`), checked as they load."""
        root = Path(folder)
        if not root.is_dir():
            raise OutputError(f"{root} is not a folder of learned rules")
        files = []
        for path in sorted(root.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if "learned_from" in parse_yaml(text, str(path)):
                files.append((path.name, text))
        return cls(tuple(files), str(root))

    def rulesets(self, timeout: float = DEFAULT_PATTERN_TIMEOUT) -> list[RuleSet]:
        """The files compiled (a rule's file:line names the folder's file, or `learned/<name>` in memory)."""
        where = self.folder or "learned"
        return learned_rulesets({f"{where}/{name}": text for name, text in self.files}, timeout)

    def write(self, folder: str | Path, *, overwrite: bool = False) -> LearnedRules:
        """Write the files into `folder` (made if missing). A folder already holding learned files is refused
        unless `overwrite`, which first removes those (and only those)."""
        root = Path(folder)
        root.mkdir(parents=True, exist_ok=True)
        for path in earlier_files(root, overwrite=overwrite):
            path.unlink()
        for name, text in self.files:
            write_side_file(str(root / name), text)
        return LearnedRules(self.files, str(root), self.groups)

    def __len__(self) -> int:
        return len(self.files)


def earlier_files(folder: Path, *, overwrite: bool) -> list[Path]:
    """The learned rule files an earlier run left in `folder` (to replace, with `overwrite`); refused without it,
    so a rerun never mixes two corpora's rules. A command checks this before its learning pass too."""
    earlier = [path for path in sorted(folder.glob("*.yaml")) if _is_learned(path)] if folder.is_dir() else []
    if earlier and not overwrite:
        raise OutputError(f"{folder} already holds {len(earlier)} learned rule file(s) of an earlier run: "
                          "give another folder, or --overwrite to replace them")
    return earlier


def _is_learned(path: Path) -> bool:
    try:
        return "learned_from" in parse_yaml(path.read_text(encoding="utf-8"), str(path))
    except Exception:  # not a rule file of ours: never removed
        return False
