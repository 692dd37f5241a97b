"""`cleaner clean INPUT... [-o OUT.jsonl]`: the preprocessing step, from the command line.

Exit status: 0 when every document was cleaned, 1 when some failed (each still
has a record, with `error`), 2 for usage errors and invalid rule files (reported
before any document is read).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from cleaner import __version__
from cleaner.corpus import RecordTask, hard_limit, payload_size
from cleaner.inputs import InputDocument, UniqueIds, count_documents, iter_documents
from cleaner.pipeline import DEFAULT_MIN_CHARS, Cleaner
from cleaner.ruleset.loader import DEFAULT_PATTERN_TIMEOUT, RuleFileError
from cleaner.stats import RunStats
from cleaner.workers import available_cpus, ordered_map


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cleaner", description="Clean scraped news pages into article bodies.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    clean = commands.add_parser(
        "clean",
        help="clean pages into JSONL records",
        description="Clean pages (text or HTML files, gzipped too, folders of them, JSONL with a 'text' or "
        "'html' field, WARC files, or - for stdin) into one JSONL record per document.",
    )
    clean.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl file, or - for stdin")
    clean.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here (default, or -: standard output)")
    clean.add_argument("--jobs", "-j", type=_positive_int, default=available_cpus(), metavar="N",
                       help="worker processes (default: the CPUs this process may use, here %(default)s; "
                       "1 = clean in this process)")
    clean.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="folder of YAML rule files (repeatable); a site id replaces the bundled one")
    clean.add_argument("--no-bundled-rules", action="store_true", help="use only the --rules folders")
    clean.add_argument("--explain", action="store_true", help="add 'removed': every removed line/span and its rule")
    clean.add_argument("--pattern-timeout", type=float, default=DEFAULT_PATTERN_TIMEOUT, metavar="SECONDS",
                       help=f"longest a rule's pattern may run on one line (default {DEFAULT_PATTERN_TIMEOUT})")
    clean.add_argument("--timeout", type=float, default=DEFAULT_DOCUMENT_TIMEOUT, metavar="SECONDS",
                       help=f"longest one document may take; it then gets an error record "
                       f"(default {DEFAULT_DOCUMENT_TIMEOUT:g}, 0 = no limit)")
    clean.add_argument("--resume", action="store_true",
                       help="continue a killed run: keep the records already written to -o OUT (or its "
                       "unfinished .partial file), skip their ids, append the rest")
    clean.add_argument("--format", choices=("auto", "text", "html"), default="auto",
                       help="how to read pages (default: by file name, JSONL field, or the first tag)")
    clean.add_argument("--min-chars", type=_count, default=DEFAULT_MIN_CHARS, metavar="N",
                       help="a body shorter than this gets a warning (default %(default)s)")
    clean.add_argument("--drop-empty", action="store_true",
                       help="leave documents with no body or a short one (see --min-chars) out of the output; "
                       "they are still counted and listed in --stats")
    clean.add_argument("--stats", metavar="FILE.json",
                       help="write run statistics: removals per rule, documents per site and language, "
                       "failures by kind, time per stage")
    clean.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="a progress bar on standard error (default: when it is a terminal)")
    clean.add_argument("--quiet", "-q", action="store_true", help="no summary or progress on standard error")
    return parser


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


#: Seconds one document may take by default: far above a normal page (milliseconds), low enough
#: that a pathological page costs a run seconds, not hours.
DEFAULT_DOCUMENT_TIMEOUT = 10.0


def partial_path(path: str) -> Path:
    """Where a run writes until it completes: `OUT.jsonl.partial` beside `OUT.jsonl`."""
    target = Path(path)
    return target.with_name(target.name + ".partial")


def _kept_records(path: str) -> tuple[list[str], set[str]]:
    """Complete records of an earlier run (a killed run's partial file, else the finished output).

    A last line cut off mid-write is not a record; it is dropped and its document cleaned again.
    """
    for source in (partial_path(path), Path(path)):
        if not source.exists():
            continue
        lines, ids = [], set()
        with open(source, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.endswith("\n"):
                    break
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    break
                lines.append(line)
                ids.add(str(record.get("id")))
        return lines, ids
    return [], set()


@contextlib.contextmanager
def _output(path: str | None, kept: Sequence[str] = ()) -> Iterator[TextIO]:
    """Standard output, or `OUT.partial` renamed onto `path` only when the run completes.

    A crash or a kill leaves the partial file (never a complete-looking `path`); `--resume` reads it.
    Each record is flushed as it is written, so a kill loses at most the record being written.
    """
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    temporary = partial_path(path)
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.writelines(kept)
        handle.flush()
        yield handle
    os.replace(temporary, path)


def _output_path(args: argparse.Namespace) -> str | None:
    return None if args.output in (None, "-") else str(args.output)


def _documents(args: argparse.Namespace, stats: RunStats) -> Iterator[InputDocument]:
    """The documents to clean, in order; what is not a page (a WARC request, a folder's .png) is counted."""
    for item in iter_documents(args.inputs, parse_lines=False):
        if item.skipped is not None:
            stats.skipped[item.skipped] += 1
            continue
        yield item


def _progress(args: argparse.Namespace) -> tqdm[Any]:
    """A progress bar on standard error: on a terminal by default, forced on or off by --progress."""
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    tqdm.monitor_interval = 0  # no monitor thread: workers may be forked while the bar runs
    total = count_documents(args.inputs) if show and not args.quiet else None
    return tqdm(total=total, unit="doc", file=sys.stderr, disable=args.quiet or not show, dynamic_ncols=True,
                smoothing=0.1)


def run_clean(args: argparse.Namespace) -> int:
    output = _output_path(args)
    if args.resume and output is None:
        print("cleaner: --resume needs -o OUT.jsonl (the output to continue)", file=sys.stderr)
        return 2
    try:
        cleaner = Cleaner(args.rules, bundled_rules=not args.no_bundled_rules, pattern_timeout=args.pattern_timeout,
                          min_chars=args.min_chars)
    except RuleFileError as exc:
        print(f"cleaner: invalid rule file(s), nothing was cleaned:\n{exc}", file=sys.stderr)
        return 2
    kept, done = _kept_records(output) if args.resume and output else ([], set())
    started = time.perf_counter()
    stats = RunStats()
    progress = _progress(args)
    timeout = args.timeout or None
    task = RecordTask(cleaner, timeout, None if args.format == "auto" else args.format, args.explain,
                      args.drop_empty, frozenset(done))
    unique = UniqueIds()
    outcomes = ordered_map(task, _documents(args, stats), jobs=args.jobs, lost=task.lost, size=payload_size,
                           deadline=hard_limit(timeout))
    try:
        with _output(output, kept) as out:
            for outcome in outcomes:
                if outcome.where is not None:
                    checked = unique.check(InputDocument(outcome.id, url=outcome.url, where=outcome.where))
                    if checked.error is not None and outcome.facts is not None:  # not one --resume skipped
                        outcome = task.failed(checked)
                if outcome.facts is None:
                    stats.skipped["already in the output"] += 1
                    progress.update()
                    continue
                stats.add(outcome.facts)
                if outcome.line is not None:
                    out.write(outcome.line)
                    out.flush()
                if outcome.error is not None and not args.quiet:
                    progress.write(f"cleaner: {outcome.id}: {outcome.error}", file=sys.stderr)
                rate = stats.input_chars / 1e6 / max(time.perf_counter() - started, 1e-9)
                failures = f", {stats.failed} failed" if stats.failed else ""
                progress.set_postfix_str(f"{rate:.2f} MB/s{failures}", refresh=False)
                progress.update()
    except KeyboardInterrupt:
        progress.close()
        where = f"; the records so far are in {partial_path(output)}, --resume continues" if output else ""
        print(f"cleaner: interrupted after {stats.documents} document(s){where}", file=sys.stderr)
        return 130
    progress.close()
    stats.seconds = time.perf_counter() - started
    if args.stats:
        stats.write(args.stats, [rule.id for ruleset in cleaner.rulesets for rule in ruleset.rules])
    if not args.quiet:
        print(_summary(stats, output, args.stats), file=sys.stderr)
    return 1 if stats.failed else 0


def _summary(stats: RunStats, output: str | None, stats_path: str | None) -> str:
    """The run in a few lines: counts, speed, where the output went, and the rules that removed most."""
    seconds = max(stats.seconds, 1e-9)
    size = stats.input_chars
    lines = [
        f"cleaner: {stats.documents} document(s), {stats.documents - stats.failed} cleaned, {stats.failed} failed"
        f" -> {output or 'standard output'}",
        f"  {size / 1e6:.2f} MB in {stats.seconds:.2f} s ({stats.documents / seconds:.1f} docs/s, "
        f"{size / 1e6 / seconds:.2f} MB/s)",
    ]
    if stats.short_bodies:
        dropped = f", {stats.dropped} left out (--drop-empty)" if stats.dropped else ""
        lines.append(f"  {stats.short_bodies} with no article body or a short one (warning in the record){dropped}")
    if stats.failures:
        lines.append("  failures: " + ", ".join(f"{n} {kind}" for kind, n in sorted(stats.failures.items())))
    if stats.skipped:
        lines.append("  skipped: " + ", ".join(f"{kind} ({n})" for kind, n in stats.skipped.most_common()))
    top = stats.top_rules(5)
    if top:
        lines.append("  removed most: " + ", ".join(f"{rule} ({c.chars:,} chars, {c.removals})" for rule, c in top))
    if stats_path:
        lines.append(f"  statistics in {stats_path}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "clean":
        return run_clean(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
