"""The rules for pages of one site merged into per-scope indexes, built once per site."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cleaner.ruleset.index import RuleIndex, Scanner
from cleaner.ruleset.model import Action, Rule, RuleSet, Scope
from cleaner.ruleset.structure import DEFAULT_STRUCTURE, StructureConfig

_LINE_RULES = (Action.DROP_LINE, Action.CAPTURE, Action.DROP_PARAGRAPH)

def _rules(rulesets: Iterable[RuleSet], *actions: Action, scope: Scope | None = None) -> list[Rule]:
    return [
        rule
        for ruleset in rulesets
        for rule in ruleset.rules
        if rule.action in actions and (scope is None or rule.scope == scope)
    ]


def _in_language(ruleset: RuleSet, language: str | None) -> RuleSet:
    """The rule set without its rules scoped to other languages (all of them where the language is unknown)."""
    if not any(rule.languages for rule in ruleset.rules):
        return ruleset
    return dataclasses.replace(ruleset, rules=tuple(
        rule for rule in ruleset.rules if rule.languages is None or language in rule.languages))


@dataclass(frozen=True)
class StripPlan:
    """The rules for pages of one site (or none), merged once into per-scope indexes."""

    rulesets: tuple[RuleSet, ...]
    lines: dict[Scope, RuleIndex]  # whole-line rules that drop the line (drop_line, capture, drop_paragraph)
    kept: dict[Scope, RuleIndex]  # capture rules with keep: true
    spans: dict[Scope, RuleIndex]
    footers: RuleIndex  # drop_after markers
    ends: RuleIndex  # end_body sign-offs
    pairs: RuleIndex  # capture rules with `end` (label line, value line): indexed by the label's pattern
    blocks: RuleIndex  # drop_block rules: indexed by the pattern of the block's first line
    cuts: dict[tuple[Action, Scope], RuleIndex]  # cut_prefix and cut_suffix rules of each scope, in rule order
    splits: RuleIndex  # split rules: unit boundaries for the segment stage
    by_action: dict[tuple[Action, Scope | None], tuple[Rule, ...]]  # see `rules`
    structure: StructureConfig = DEFAULT_STRUCTURE  # the site's thresholds and switches, else the defaults
    scanner: Scanner | None = None  # one prefilter pass over a page for the indexes above (but `splits`)

    def rules(self, action: Action, scope: Scope | None = None) -> tuple[Rule, ...]:
        """The plan's rules of one action (and scope), in rule order: looked up, not filtered per page."""
        return self.by_action.get((action, scope), ())

    @classmethod
    def build(cls, site: RuleSet | None, generic: Sequence[RuleSet], language: str | None = None) -> StripPlan:
        """The plan for pages of `site` (None: no site rule) in `language` (rules scoped to others left out)."""
        rulesets = tuple(_in_language(ruleset, language) for ruleset in ((site,) if site else ()) + tuple(generic))

        lines, kept, spans = {}, {}, {}
        for scope in Scope:
            full = [r for r in _rules(rulesets, *_LINE_RULES, scope=scope) if r.end is None]  # pairs: own step
            lines[scope] = RuleIndex.build([r for r in full if not r.keep])
            kept[scope] = RuleIndex.build([r for r in full if r.keep])
            spans[scope] = RuleIndex.build(_rules(rulesets, Action.DROP_SPAN, scope=scope))
        footers = RuleIndex.build(_rules(rulesets, Action.DROP_AFTER))
        ends = RuleIndex.build(_rules(rulesets, Action.END_BODY))
        pairs = RuleIndex.build([r for r in _rules(rulesets, Action.CAPTURE) if r.end is not None])
        blocks = RuleIndex.build(_rules(rulesets, Action.DROP_BLOCK))
        cuts = {(action, scope): RuleIndex.build(_rules(rulesets, action, scope=scope))
                for action in (Action.CUT_PREFIX, Action.CUT_SUFFIX) for scope in Scope}
        splits = RuleIndex.build(_rules(rulesets, Action.SPLIT))
        by_action: dict[tuple[Action, Scope | None], tuple[Rule, ...]] = {}
        for action in Action:
            by_action[(action, None)] = tuple(_rules(rulesets, action))
            for scope in Scope:
                by_action[(action, scope)] = tuple(_rules(rulesets, action, scope=scope))
        structure = site.structure if site and site.structure else DEFAULT_STRUCTURE
        scanner = Scanner.build([*lines.values(), *kept.values(), *spans.values(), footers, ends, pairs, blocks,
                                 *cuts.values()])
        return cls(rulesets, lines, kept, spans, footers, ends, pairs, blocks, cuts, splits, by_action, structure,
                   scanner)

