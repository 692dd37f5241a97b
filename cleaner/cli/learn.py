"""`cleaner learn INPUT... -o DIR`: each site's chrome learned from the corpus, as rule files to review."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.cli.common import progress_bar, refusal, selection
from cleaner.controls import printable
from cleaner.errors import RuleFileError
from cleaner.files import OutputError
from cleaner.learning.rulefile import LearnedRules, earlier_files
from cleaner.run.inputs import (
    InputDocument,
    iter_documents,
)


def _learning_documents(args: argparse.Namespace, inputs: Sequence[str]) -> Iterator[InputDocument]:
    """The documents learning reads (what is not a page, skipped)."""
    for item in iter_documents(inputs, parse_lines=False, jsonl=args.format == "jsonl", selection=selection(args)):
        if item.skipped is None:
            yield item


def learn_from_inputs(args: argparse.Namespace, cleaner: Cleaner, inputs: Sequence[str]) -> LearnedRules:
    """Learn from `inputs` with the run's options."""
    from cleaner.run.learn import learn

    page_format = None if args.format in ("auto", "jsonl") else args.format
    with progress_bar(args, inputs=inputs, desc="learning") as progress:
        return learn(cleaner, _learning_documents(args, inputs), jobs=args.jobs, timeout=args.timeout or None,
                     format=page_format, seen=progress.update)


def learning_summary(learned: LearnedRules, where: str) -> str:
    documents = sum(n for _, n, _ in learned.groups)
    rules = sum(r for _, _, r in learned.groups)
    lines = [f"cleaner: learned {rules} rule(s) for {len(learned.files)} of {len(learned.groups)} site(s) from "
             f"{documents} document(s) -> {where}"]
    for group, count, found in sorted(learned.groups, key=lambda g: (-g[1], g[0]))[:10]:
        lines.append(f"  {printable(group)}: {found} rule(s) from {count} document(s)")
    if len(learned.groups) > 10:
        lines.append(f"  ... {len(learned.groups) - 10} more")
    return "\n".join(lines)


def run_learn(args: argparse.Namespace) -> int:
    """`cleaner learn INPUT... -o DIR` (standard input too: learning reads its inputs once)."""
    try:
        cleaner = Cleaner(args.rules, bundled_rules=not args.no_bundled_rules)
        output = Path(args.output)
        if output.exists() and not output.is_dir():
            raise OutputError(f"{output} is a file: -o names a folder of rule files")
        for item in args.inputs:
            if Path(item).exists() and Path(item).resolve() == output.resolve():
                raise OutputError(f"{output} is an input: write the rule files elsewhere")
        earlier_files(output, overwrite=args.overwrite)  # refused before the learning pass, not after it
        learned = learn_from_inputs(args, cleaner, args.inputs).write(output, overwrite=args.overwrite)
    except (RuleFileError, OutputError) as exc:
        return refusal(exc)
    if not args.quiet:
        print(learning_summary(learned, str(output)), file=sys.stderr)
    return 0
