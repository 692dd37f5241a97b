"""What the commands share: how a refusal is reported, the progress bar, the output path and file selection."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from tqdm import tqdm

from cleaner.errors import RuleFileError
from cleaner.files import OutputError
from cleaner.run.inputs import (
    FileSelection,
    count_documents,
)


def refusal(exc: RuleFileError | OutputError) -> int:
    """Say why the command cannot run as asked (a bad rule file, an output it may not write): exit 2."""
    message = f"invalid rule file(s):\n{exc}" if isinstance(exc, RuleFileError) else str(exc)
    print(f"cleaner: {message}", file=sys.stderr)
    return 2


def stdin_problem(inputs: Sequence[str], what: str) -> str | None:
    return f"{what} reads its inputs in a pass of its own: standard input (-) cannot be read twice; save it to " \
           "a file first" if "-" in inputs else None


def progress_bar(args: argparse.Namespace, resumed: int = 0, inputs: Sequence[str] | None = None,
              desc: str | None = None) -> tqdm[Any]:
    """A progress bar on standard error: on a terminal by default, forced on or off by --progress. The
    `resumed` records an earlier run wrote are left out of its total (and its rate); `inputs` are the run's
    unless given (learning from a sample), `desc` names the pass."""
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    tqdm.monitor_interval = 0  # no monitor thread: workers may be forked while the bar runs
    total = count_documents(args.inputs if inputs is None else inputs, selection(args)) \
        if show and not args.quiet else None
    if total is not None:
        total = max(total - resumed, 0)
    return tqdm(total=total, unit="doc", file=sys.stderr, disable=args.quiet or not show, dynamic_ncols=True,
                smoothing=0.1, desc=desc)


def output_path(args: argparse.Namespace) -> str | None:
    return None if args.output in (None, "-") else str(args.output)


def selection(args: argparse.Namespace) -> FileSelection:
    """The files of folder inputs the run reads (`--include`, `--exclude`)."""
    return FileSelection(tuple(args.include), tuple(args.exclude))
