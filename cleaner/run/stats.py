"""Run statistics: what a whole run removed, by rule, and what it read, by site and language.

datatrove's habit: counters on every step. Over a corpus they are how users find a dead rule (it never
fired) and a greedy one (it removed far more than expected). Each document's `DocumentFacts` are made
where it is cleaned (in a worker, on its own) and added up in the parent, so the figures do not depend on
how many workers ran.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from cleaner.files import write_side_file
from cleaner.result import CleanResult


@dataclass(frozen=True)
class DocumentFacts:
    """What one document adds to the run's statistics."""

    id: str | None
    site: str | None
    language: str | None
    input_chars: int
    output_chars: int
    error_kind: str | None
    short_body: bool  # empty, or under the minimum: it got a body warning
    dropped: bool  # left out of the output (--drop-empty)
    removed: tuple[tuple[str, int, int], ...]  # (rule id, removals, characters) per rule that removed something
    timings: tuple[tuple[str, float], ...]
    warnings: tuple[str, ...] = ()  # each warning's kind (its words with numbers as N)
    off_language: bool = False  # left out of the output: not in a language --language keeps

    @classmethod
    def of(cls, result: CleanResult, input_chars: int, *, short_body: bool = False, dropped: bool = False,
           off_language: bool = False) -> DocumentFacts:
        return cls(
            id=result.id, site=result.site, language=result.language, input_chars=input_chars,
            output_chars=len(result.text), error_kind=result.error_kind if result.error is not None else None,
            short_body=short_body, dropped=dropped, removed=_by_rule(result), timings=tuple(result.timings.items()),
            warnings=tuple(warning_kind(warning) for warning in result.warnings), off_language=off_language,
        )


_NUMBER = regex.compile(r"\d[\d,.]*")
_QUOTED = regex.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def warning_kind(warning: str) -> str:
    """A warning without what varies in it: its numbers and quoted values ("replaced 3 lone surrogate(s)" and
    "replaced 1 ..." count together, as do "the URL 'http://a' ..." and "the URL 'http://b' ...")."""
    return _NUMBER.sub("N", _QUOTED.sub("'...'", warning))


def _by_rule(result: CleanResult) -> tuple[tuple[str, int, int], ...]:
    """A document's removals added up per rule: what the parent adds to the run's totals."""
    counts: dict[str, list[int]] = {}
    for removal in result.removed:
        count = counts.get(removal.rule)
        if count is None:
            count = counts[removal.rule] = [0, 0]
        count[0] += 1
        count[1] += len(removal.text)
    return tuple((rule, n, chars) for rule, (n, chars) in counts.items())


@dataclass
class RuleCount:
    """How often one rule removed a line or a span, and how many characters in all."""

    removals: int = 0
    chars: int = 0


@dataclass
class RunStats:
    """The statistics of one run; `add` each document's facts, then `to_dict` or `write`."""

    documents: int = 0
    failed: int = 0
    short_bodies: int = 0
    dropped: int = 0
    off_language: int = 0  # left out by --language
    input_chars: int = 0
    output_chars: int = 0
    seconds: float = 0.0
    failures: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    rules: dict[str, RuleCount] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    short_body_ids: list[str] = field(default_factory=list)

    #: Ids of short or empty bodies listed in the stats file (the count is always complete).
    LISTED_IDS = 1000
    #: Warning kinds counted one by one; a run's further kinds are counted together, so memory stays bounded.
    WARNING_KINDS = 200

    def add(self, facts: DocumentFacts) -> None:
        self.documents += 1
        self.input_chars += facts.input_chars
        self.output_chars += facts.output_chars
        if facts.error_kind is not None:
            self.failed += 1
            self.failures[facts.error_kind] += 1
        else:
            self.sites[facts.site or "(none)"] += 1
            self.languages[facts.language or "(unknown)"] += 1
        if facts.short_body:
            self.short_bodies += 1
            if len(self.short_body_ids) < self.LISTED_IDS and facts.id is not None:
                self.short_body_ids.append(facts.id)
        self.dropped += facts.dropped
        self.off_language += facts.off_language
        for kind in facts.warnings:
            if kind in self.warnings or len(self.warnings) < self.WARNING_KINDS:
                self.warnings[kind] += 1
            else:
                self.warnings["(other kinds)"] += 1
        for rule, removals, chars in facts.removed:
            count = self.rules.get(rule)
            if count is None:
                count = self.rules[rule] = RuleCount()
            count.removals += removals
            count.chars += chars
        for stage, seconds in facts.timings:
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds

    def merge(self, other: RunStats) -> None:
        """Add another run's statistics to these (a resumed run's earlier part)."""
        for name in ("documents", "failed", "short_bodies", "dropped", "off_language", "input_chars", "output_chars"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds
        for counter in ("failures", "sites", "languages", "skipped", "warnings"):
            getattr(self, counter).update(getattr(other, counter))
        for rule, count in other.rules.items():
            mine = self.rules.setdefault(rule, RuleCount())
            mine.removals += count.removals
            mine.chars += count.chars
        for stage, seconds in other.stage_seconds.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
        room = self.LISTED_IDS - len(self.short_body_ids)
        self.short_body_ids.extend(other.short_body_ids[:max(room, 0)])

    def state(self) -> dict[str, Any]:
        """Everything `from_state` needs to rebuild these statistics (JSON)."""
        return {
            "documents": self.documents, "failed": self.failed, "short_bodies": self.short_bodies,
            "dropped": self.dropped, "off_language": self.off_language, "input_chars": self.input_chars,
            "output_chars": self.output_chars, "seconds": self.seconds, "failures": dict(self.failures),
            "sites": dict(self.sites),
            "languages": dict(self.languages), "skipped": dict(self.skipped), "warnings": dict(self.warnings),
            "rules": {rule: [c.removals, c.chars] for rule, c in self.rules.items()},
            "stage_seconds": dict(self.stage_seconds), "short_body_ids": list(self.short_body_ids),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> RunStats:
        stats = cls(documents=int(state["documents"]), failed=int(state["failed"]),
                    short_bodies=int(state["short_bodies"]), dropped=int(state["dropped"]),
                    off_language=int(state.get("off_language", 0)),  # a run file from before --language
                    input_chars=int(state["input_chars"]), output_chars=int(state["output_chars"]))
        stats.seconds = float(state["seconds"])
        for counter in ("failures", "sites", "languages", "skipped", "warnings"):
            getattr(stats, counter).update({str(k): int(v) for k, v in state[counter].items()})
        stats.rules = {str(rule): RuleCount(int(n), int(c)) for rule, (n, c) in state["rules"].items()}
        stats.stage_seconds = {str(k): float(v) for k, v in state["stage_seconds"].items()}
        stats.short_body_ids = [str(i) for i in state["short_body_ids"]]
        return stats

    def top_rules(self, count: int = 5) -> list[tuple[str, RuleCount]]:
        """The rules that removed most characters."""
        return sorted(self.rules.items(), key=lambda item: (-item[1].chars, item[0]))[:count]

    def to_dict(self, rule_ids: list[str] | None = None) -> dict[str, Any]:
        """The stats file's content; `rule_ids` (every loaded rule) adds the ones that never fired."""
        never = sorted(set(rule_ids or ()) - set(self.rules))
        return {
            "documents": self.documents,
            "cleaned": self.documents - self.failed,
            "failed": self.failed,
            "failures": dict(sorted(self.failures.items())),
            "short_bodies": self.short_bodies,
            "short_body_ids": self.short_body_ids,
            "dropped": self.dropped,
            "off_language": self.off_language,
            "skipped": dict(sorted(self.skipped.items())),
            "warnings": dict(self.warnings.most_common()),
            "input_chars": self.input_chars,
            "output_chars": self.output_chars,
            "seconds": round(self.seconds, 3),
            "stage_seconds": {stage: round(s, 3) for stage, s in sorted(self.stage_seconds.items())},
            "sites": dict(self.sites.most_common()),
            "languages": dict(self.languages.most_common()),
            "rules": {rule: {"removals": c.removals, "chars": c.chars}
                      for rule, c in sorted(self.rules.items(), key=lambda item: (-item[1].chars, item[0]))},
            "rules_never_fired": never,
        }

    def write(self, path: str | Path, rule_ids: list[str] | None = None) -> None:
        """Write the stats file whole or not at all (see `output.write_side_file`)."""
        write_side_file(str(path), json.dumps(self.to_dict(rule_ids), ensure_ascii=False, indent=2) + "\n")
