"""Stage 6b: the rules `cleaner learn` wrote for the page's group, on the body the bundled rules left.

Learned rules come after the bundled ones and are more cautious than they are: a line that reads like prose is
taken only among the body's closing lines (every prose line below it is learned chrome too), never between
the article's paragraphs; a frame ("Label: value") never takes a line that reads like prose (a dateline
before a paragraph); a prefix is cut from the body's first line and a suffix from its last, and an opening
(capitals glued before a sentence) from any line, only where text remains.
"""

from __future__ import annotations

import dataclasses

from cleaner.document import Document, Line, Removal
from cleaner.ruleset.model import Action, Rule, RuleSet
from cleaner.text.prose import reads_like_prose


def strip_learned(doc: Document, rules: RuleSet | None) -> Document:
    """The body without what `rules` (a group's learned rules) take; the document as it is without rules."""
    if rules is None or not rules.rules or not doc.lines:
        return doc
    lines = list(doc.lines)
    removed: list[Removal] = []
    _cut_edges(lines, rules, removed)
    _cut_openings(lines, rules, removed)
    drops = [_line_rule(line, rules) for line in lines]
    if not removed and not any(drops):
        return doc  # the page holds none of its group's chrome: nothing to weigh
    prose = [reads_like_prose(line.text) if line.text else False for line in lines]
    closing = True  # no prose line that stays below this one
    kept: list[Line] = []
    for i in range(len(lines) - 1, -1, -1):
        rule = drops[i]
        if rule is not None and prose[i] and (not closing or _is_pattern_match(lines[i], rule)):
            rule = None  # a sentence between paragraphs, or a frame's line that is a paragraph
        if rule is None:
            kept.append(lines[i])
            closing = closing and not prose[i]
            continue
        removed.append(Removal(lines[i].number, lines[i].text, rule.id, lines[i].column))
    if not removed:
        return doc
    kept.reverse()
    return dataclasses.replace(doc, lines=tuple(kept),
                               removed=doc.removed + tuple(sorted(removed, key=lambda r: (r.line, r.column))))


def _line_rule(line: Line, rules: RuleSet) -> Rule | None:
    for rule in rules.rules:
        if rule.action == Action.DROP_LINE and rule.matcher is not None and line.text and \
                rule.matcher.fullmatch(line.text, line.number):
            return rule
    return None


def _is_pattern_match(line: Line, rule: Rule) -> bool:
    assert rule.matcher is not None
    return line.text not in rule.matcher.literals


def _cut_openings(lines: list[Line], rules: RuleSet, removed: list[Removal]) -> None:
    """Cut learned openings (`drop_span` rules: capitals glued before a sentence) from the start of any line."""
    spans = [rule for rule in rules.rules if rule.action == Action.DROP_SPAN and rule.matcher is not None]
    if not spans:
        return
    for i, line in enumerate(lines):
        for rule in spans:
            assert rule.matcher is not None
            found = rule.matcher.match_start(line.text, line.number) if line.text else None
            if found is None or not found.group() or not line.text[found.end():].strip():
                continue
            kept = line.text[found.end():].lstrip()
            removed.append(Removal(line.number, found.group(), rule.id, line.column))
            line = line._replace(text=kept, column=line.column + len(line.text) - len(kept), edited=True)
            lines[i] = line


def _cut_edges(lines: list[Line], rules: RuleSet, removed: list[Removal]) -> None:
    """Cut a learned prefix from the first line and a learned suffix from the last, where text remains."""
    live = [i for i, line in enumerate(lines) if line.text]
    if not live:
        return
    for rule in rules.rules:
        if rule.matcher is None or rule.action not in (Action.CUT_PREFIX, Action.CUT_SUFFIX):
            continue
        i = live[0] if rule.action == Action.CUT_PREFIX else live[-1]
        line = lines[i]
        if rule.action == Action.CUT_PREFIX:
            found = rule.matcher.match_start(line.text, line.number)
            if found is None or not line.text[found.end():].strip():
                continue
            rest = line.text[found.end():]
            kept = rest.lstrip()
            removed.append(Removal(line.number, found.group(), rule.id, line.column))
            lines[i] = line._replace(text=kept, column=line.column + len(line.text) - len(kept), edited=True)
        else:
            found = rule.matcher.match_end(line.text, line.number)
            if found is None or not line.text[: found.start()].strip():
                continue
            kept = line.text[: found.start()].rstrip()
            removed.append(Removal(line.number, found.group(), rule.id, line.column + found.start()))
            lines[i] = line._replace(text=kept, edited=True)
