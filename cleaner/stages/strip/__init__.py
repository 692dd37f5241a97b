"""Stage 6: strip chrome with the page's site rule (first) and the generic rules.

The order matters and is fixed:
 1. footer markers (`drop_after`) cut the tail of the page; the sign-off (`end_body`) is found;
 2. the title is found (given by the input, repeated from the page's <title> line,
    or by the site's `title` spec); lines above it are the page header: `head`-scope
    rules read them (a breadcrumb category), then they are dropped;
 3. `drop_block` (multi-line structures, before their lines are taken one by one);
 4. line rules run on every line: `drop_line`, `capture`, `drop_paragraph`, `drop_span` (a line the segment
    stage split at sentence ends only is first read whole); then `drop_repeated`;
 5. without a title yet, the line right above the first byline or date line (above the first
    paragraph) is the title, when it looks like one; the header above it then goes as in 2;
 6. `drop_before` markers (a site's summary between title and body);
 7. `lead` rules on the first lines (datelines; a caption printed above the dateline goes with it),
    `last` rules on the last lines (credits);
 8. structure: every line after a sign-off (`end_body`, found in step 1), non-prose lines before the
    first and after the last prose line, and runs of headline-shaped lines inside the body (link lists)
    leave; other prose lines never do (a unit of a prose paragraph is prose however short, see
    `Page.settle_units`);
 9. `drop_repeated` once more, as cuts can leave two equal lines; steps 7-9 repeat until nothing
    changes, so cleaning the output again finds nothing more to do.

The package holds one module per concern (the predicates lines are judged by are the floor's,
`cleaner.text.prose`): `page` (the mutable page and its per-line facts), `plan` (the rules merged into
indexes), then the steps by family: `footers` (1), `title` (2, 5), `blocks` (3, 4's repeats), `line_rules`
(4), `edges` (6, 7), `body` (8); `sequence` declares their order as data (the body's steps, the rounds that
settle its edges, the page pass's steps).

Lines here are the segment stage's units: a line of the page, or a piece of one it cut. Precision beats
greed: structural steps (header above the title, neighbours of a match) never drop a line that reads like a
sentence; only an explicit rule does.
"""

from __future__ import annotations

import dataclasses

from cleaner.document import Capture, Document
from cleaner.ruleset.model import RuleSet
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.stages.strip.sequence import BODY_STEPS, PAGE_STEPS, Run, run_steps

__all__ = ["StripPlan", "strip_chrome"]


def strip_chrome(doc: Document, site: RuleSet | None, plan: StripPlan, metadata_only: bool = False) -> Document:
    """Apply the plan's rules to the page; `site` is the page's site rule set (its title spec).

    `metadata_only` is for text read for its bylines, dates and datelines, not its body (an HTML page's
    text around the extracted article): after the line rules, the lead lines are read once and the
    body-shaping steps (sign-off, edges of the body, the repeat until stable) are skipped.
    """
    page = Page(doc.lines, plan.scanner)
    run = Run(page, doc, site, plan)
    run_steps(run, PAGE_STEPS if metadata_only else BODY_STEPS)
    captures = sorted(page.captures, key=lambda c: c.line)  # page order: nearest the top wins
    if not metadata_only:
        captures = _mark_below_body(page, captures)
    return dataclasses.replace(
        doc,
        lines=page.result(),
        title=page.title,
        captures=doc.captures + tuple(captures),
        removed=doc.removed + tuple(sorted(page.removed, key=lambda r: r.line)),
    )


#: How many input lines below the body's last paragraph a byline still closes the article ("Penulis: X").
BYLINE_REACH = 6


def _mark_below_body(page: Page, captures: list[Capture]) -> list[Capture]:
    """Bylines printed well below the body's last paragraph are other articles' (teasers under it): marked
    `below_body`, so the metadata stage prefers the article's own."""
    last = max((page.numbers[i] for i in page.live() if page.prose(i)), default=None)
    if last is None:
        return captures
    return [c._replace(below_body=True) if c.field == "authors" and c.line > last + BYLINE_REACH else c
            for c in captures]
