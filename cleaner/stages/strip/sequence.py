"""The strip stage's step sequences, written as data: the body's, and the metadata-only page pass's.

A step is a name and a function of the `Run` (the page, its document, its site and plan); `Rounds` are steps
run for several turns. The body runs `BODY_STEPS`: the rules (each footer rule taking its turn), the sign-off,
then `SETTLING_STEPS` again and again until a round changes nothing (at most `MAX_ROUNDS`): each can bring
new lines to the body's edges. The page pass (an HTML page's text around its article, read for bylines, dates
and datelines only) runs `PAGE_STEPS`. No step calls another: `run_steps` runs them all, as declared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cleaner.document import Document
from cleaner.ruleset.model import Action, RuleSet, Scope
from cleaner.stages.strip.blocks import capture_pairs, drop_blocks, drop_repeated
from cleaner.stages.strip.body import drop_outside_body
from cleaner.stages.strip.edges import apply_edge, drop_before_markers
from cleaner.stages.strip.footers import cut_at_marker, find_body_end, footer_lines, footer_marker
from cleaner.stages.strip.line_rules import apply_line_rules, apply_rules_to_lines, apply_rules_to_whole_lines
from cleaner.stages.strip.page import Page, State
from cleaner.stages.strip.plan import StripPlan
from cleaner.stages.strip.title import drop_header, find_title, read_header, title_from_byline


@dataclass
class Run:
    """What the steps of one strip run share. `read_whole` is the page as its lines were last read whole;
    `round_start` the page as the current settling round found it; `turn` the current turn of `Rounds`;
    `footer_lines` the lines footer markers may match, `marker` the current footer rule's marker; `cut_lines`
    the lines the last edge step cut."""

    page: Page
    doc: Document
    site: RuleSet | None
    plan: StripPlan
    read_whole: State | None = None
    round_start: State | None = None
    turn: int = 0
    footer_lines: list[tuple[int, frozenset[int]]] = field(default_factory=list)
    marker: int | None = None
    cut_lines: list[int] = field(default_factory=list)

    def state(self) -> State:
        return self.page.state()

    @property
    def full_page(self) -> bool:
        """Text read from a whole page (not an HTML extractor's article): its edges hold menus and sidebars."""
        return self.doc.format != "html"


Step = tuple[str, Callable[[Run], None]]


@dataclass(frozen=True)
class Rounds:
    """`steps` run once for each turn `turns` gives (the turn is `run.turn` meanwhile); with `until_settled`,
    the rounds stop after the first that ends with the page as its "round start" step found it."""

    name: str
    steps: tuple[Step, ...]
    turns: Callable[[Run], Iterable[int]]
    until_settled: bool = False


#: A sequence as declared: steps and rounds of steps, in order.
Steps = tuple[Step | Rounds, ...]


def _read_whole_again(run: Run) -> None:
    """A line that lost its repeated units, read whole, as its output will be read."""
    apply_rules_to_whole_lines(run.page, run.plan, again=True)
    run.read_whole = run.state()


def _cut_lines_read_whole(run: Run) -> None:
    """A cut line, or one that lost a unit, since the lines were last read whole: read as its output is read."""
    if run.state() != run.read_whole:
        apply_rules_to_whole_lines(run.page, run.plan, again=True)
        run.read_whole = run.state()


def _start_round(run: Run) -> None:
    run.round_start = run.state()


def _repeats_after_cuts(run: Run) -> None:
    """Cuts can leave two equal lines (same dateline, same body); only a changed text makes a new prose repeat."""
    assert run.round_start is not None
    drop_repeated(run.page, run.plan, prose=run.full_page and run.round_start[1] != tuple(run.page.texts))


def _find_footer_lines(run: Run) -> None:
    run.footer_lines = footer_lines(run.page, run.plan)


def _footer_turns(run: Run) -> range:
    return range(len(run.plan.footers.rules) if run.footer_lines else 0)


def _find_marker(run: Run) -> None:
    run.marker = footer_marker(run.page, run.plan, run.footer_lines, run.turn)


def _pairs_from_marker(run: Run) -> None:
    if run.marker is not None:
        capture_pairs(run.page, run.plan, run.marker)


def _rules_below_marker(run: Run) -> None:
    if run.marker is not None:
        apply_rules_to_lines(run.page, run.page.live(run.marker + 1), run.plan, Scope.ANY)


def _cut_at_marker(run: Run) -> None:
    if run.marker is not None:
        cut_at_marker(run.page, run.plan, run.marker, run.turn)


def _edge(scope: Scope, action: Action) -> Callable[[Run], None]:
    def step(run: Run) -> None:
        run.cut_lines = apply_edge(run.page, run.plan, scope, action)

    return step


def _rules_on_cut_lines(run: Run) -> None:
    """What a cut left of a line may be chrome itself: it meets the rules of any scope."""
    apply_rules_to_lines(run.page, run.cut_lines, run.plan, Scope.ANY)


#: One footer rule's turn: its marker below the first sentence, the bylines printed below it, the cut.
FOOTER_STEPS: tuple[Step, ...] = (
    ("footer marker", _find_marker),
    ("label and value pairs from the marker", _pairs_from_marker),
    ("line rules below the marker", _rules_below_marker),
    ("cut at the marker", _cut_at_marker),
)
#: The rules, in their order (see the package's docstring), shared by both sequences.
RULE_STEPS: Steps = (
    ("settle units", lambda run: run.page.settle_units(run.plan.splits)),
    ("lines footer markers may match", _find_footer_lines),
    Rounds("footers", FOOTER_STEPS, _footer_turns),
    ("title", lambda run: find_title(run.page, run.doc, run.site, run.plan)),
    ("head rules", lambda run: read_header(run.page, run.plan)),
    ("header", lambda run: drop_header(run.page, run.plan)),
    ("blocks", lambda run: drop_blocks(run.page, run.plan)),
    ("label and value pairs", lambda run: capture_pairs(run.page, run.plan)),
    ("lines read whole", lambda run: apply_rules_to_whole_lines(run.page, run.plan)),
    ("line rules", lambda run: apply_line_rules(run.page, run.plan)),
    ("units read as lines", lambda run: apply_rules_to_whole_lines(run.page, run.plan, again=True)),
    ("repeats", lambda run: drop_repeated(run.page, run.plan, prose=run.full_page)),
    ("lines that lost repeats read whole", _read_whole_again),
    ("title from the byline", lambda run: title_from_byline(run.page, run.plan)),
    ("head rules above that title", lambda run: read_header(run.page, run.plan)),
    ("header above that title", lambda run: drop_header(run.page, run.plan)),
    ("markers", lambda run: drop_before_markers(run.page, run.plan)),
)
#: One round of what can bring new lines to the body's edges, repeated until a round changes nothing.
SETTLING_STEPS: tuple[Step, ...] = (
    ("round start", _start_round),
    ("settle units", lambda run: run.page.settle_units(run.plan.splits)),
    ("datelines", _edge(Scope.LEAD, Action.CUT_PREFIX)),
    ("what the datelines left", _rules_on_cut_lines),
    ("credits", _edge(Scope.LAST, Action.CUT_SUFFIX)),
    ("what the credits left", _rules_on_cut_lines),
    ("cut lines read whole", _cut_lines_read_whole),
    ("settle units after cuts", lambda run: run.page.settle_units(run.plan.splits)),
    ("outside the body", lambda run: drop_outside_body(run.page, run.full_page, run.plan.structure)),
    ("repeats after cuts", _repeats_after_cuts),
)
MAX_ROUNDS = 8
#: The body: the rules, the sign-off that ends it, then rounds that settle its edges (at most `MAX_ROUNDS`).
BODY_STEPS: Steps = (
    *RULE_STEPS,
    ("sign-off", lambda run: find_body_end(run.page, run.plan)),
    Rounds("edges", SETTLING_STEPS, lambda run: range(MAX_ROUNDS), until_settled=True),
)
#: The page pass: the rules, and the dateline the extracted body lacks; nothing that shapes a body.
PAGE_STEPS: Steps = (
    *RULE_STEPS,
    ("dateline", _edge(Scope.LEAD, Action.CUT_PREFIX)),
    ("what the dateline left", _rules_on_cut_lines),
)


def run_steps(run: Run, steps: Steps) -> None:
    """Run a sequence as declared: each step in turn, and each `Rounds` for its turns."""
    for item in steps:
        if not isinstance(item, Rounds):
            item[1](run)
            continue
        for turn in item.turns(run):
            run.turn = turn
            run_steps(run, item.steps)
            if item.until_settled and run.round_start == run.state():
                break
