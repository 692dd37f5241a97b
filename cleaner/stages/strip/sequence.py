"""The strip stage's step sequences, written as data: the body's, and the metadata-only page pass's.

A step is a name and a function of the `Run` (the page, its document, its site and plan). The body runs
`BODY_STEPS`, then `SETTLING_STEPS` again and again until a round changes nothing (at most `MAX_ROUNDS`):
each can bring new lines to the body's edges. The page pass (an HTML page's text around its article, read
for bylines, dates and datelines only) runs `PAGE_STEPS` once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cleaner.document import Document
from cleaner.ruleset.model import Action, RuleSet, Scope
from cleaner.stages.strip.blocks import capture_pairs, drop_blocks, drop_repeated
from cleaner.stages.strip.body import drop_outside_body
from cleaner.stages.strip.edges import apply_edge, drop_before_markers
from cleaner.stages.strip.footers import drop_footers, find_body_end
from cleaner.stages.strip.line_rules import apply_line_rules, apply_rules_to_whole_lines
from cleaner.stages.strip.page import Page, State
from cleaner.stages.strip.plan import StripPlan
from cleaner.stages.strip.title import drop_header, find_title, title_from_byline


@dataclass
class Run:
    """What the steps of one strip run share. `read_whole` is the page as its lines were last read whole;
    `round_start` the page as the current settling round found it."""

    page: Page
    doc: Document
    site: RuleSet | None
    plan: StripPlan
    read_whole: State | None = None
    round_start: State | None = None

    def state(self) -> State:
        return self.page.state()

    @property
    def full_page(self) -> bool:
        """Text read from a whole page (not an HTML extractor's article): its edges hold menus and sidebars."""
        return self.doc.format != "html"


Step = tuple[str, Callable[[Run], None]]


def _read_whole_again(run: Run) -> None:
    """A line that lost its repeated units, read whole, as its output will be read."""
    apply_rules_to_whole_lines(run.page, run.plan, again=True)
    run.read_whole = run.state()


def _cut_lines_read_whole(run: Run) -> None:
    """A cut line, or one that lost a unit, since the lines were last read whole: read as its output is read."""
    if run.state() != run.read_whole:
        _read_whole_again(run)


def _start_round(run: Run) -> None:
    run.round_start = run.state()


def _repeats_after_cuts(run: Run) -> None:
    """Cuts can leave two equal lines (same dateline, same body); only a changed text makes a new prose repeat."""
    assert run.round_start is not None
    drop_repeated(run.page, run.plan, prose=run.full_page and run.round_start[1] != tuple(run.page.texts))


#: The rules, in their order (see the package's docstring), shared by both sequences.
RULE_STEPS: tuple[Step, ...] = (
    ("settle units", lambda run: run.page.settle_units(run.plan.splits)),
    ("footers", lambda run: drop_footers(run.page, run.plan)),
    ("title", lambda run: find_title(run.page, run.doc, run.site, run.plan)),
    ("header", lambda run: drop_header(run.page, run.plan)),
    ("blocks", lambda run: drop_blocks(run.page, run.plan)),
    ("label and value pairs", lambda run: capture_pairs(run.page, run.plan)),
    ("lines read whole", lambda run: apply_rules_to_whole_lines(run.page, run.plan)),
    ("line rules", lambda run: apply_line_rules(run.page, run.page.live(), run.plan, Scope.ANY)),
    ("units read as lines", lambda run: apply_rules_to_whole_lines(run.page, run.plan, again=True)),
    ("repeats", lambda run: drop_repeated(run.page, run.plan, prose=run.full_page)),
    ("lines that lost repeats read whole", _read_whole_again),
    ("title from the byline", lambda run: title_from_byline(run.page, run.plan)),
    ("header above that title", lambda run: drop_header(run.page, run.plan)),
    ("markers", lambda run: drop_before_markers(run.page, run.plan)),
)
#: The body: the rules, then the sign-off that ends it.
BODY_STEPS: tuple[Step, ...] = (*RULE_STEPS, ("sign-off", lambda run: find_body_end(run.page, run.plan)))
#: One round of what can bring new lines to the body's edges, repeated until a round changes nothing.
SETTLING_STEPS: tuple[Step, ...] = (
    ("round start", _start_round),
    ("settle units", lambda run: run.page.settle_units(run.plan.splits)),
    ("datelines", lambda run: apply_edge(run.page, run.plan, Scope.LEAD, Action.CUT_PREFIX)),
    ("credits", lambda run: apply_edge(run.page, run.plan, Scope.LAST, Action.CUT_SUFFIX)),
    ("cut lines read whole", _cut_lines_read_whole),
    ("settle units after cuts", lambda run: run.page.settle_units(run.plan.splits)),
    ("outside the body", lambda run: drop_outside_body(run.page, run.full_page, run.plan.structure)),
    ("repeats after cuts", _repeats_after_cuts),
)
MAX_ROUNDS = 8
#: The page pass: the rules, and the dateline the extracted body lacks; nothing that shapes a body.
PAGE_STEPS: tuple[Step, ...] = (
    *RULE_STEPS, ("dateline", lambda run: apply_edge(run.page, run.plan, Scope.LEAD, Action.CUT_PREFIX)),
)


def run_steps(run: Run, steps: tuple[Step, ...]) -> None:
    for _name, step in steps:
        step(run)


def settle(run: Run) -> None:
    """`SETTLING_STEPS` until a round changes nothing, or `MAX_ROUNDS` of them."""
    for _ in range(MAX_ROUNDS):
        run_steps(run, SETTLING_STEPS)
        if run.round_start == run.state():
            return
