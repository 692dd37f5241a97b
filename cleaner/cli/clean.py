"""`cleaner clean INPUT... [-o OUT.jsonl]`: the preprocessing step, from the command line."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from cleaner.api import Cleaner
from cleaner.cache import content_key
from cleaner.cli.common import output_path, progress_bar, selection, stdin_problem
from cleaner.cli.learn import learn_from_inputs, learning_summary
from cleaner.controls import printable
from cleaner.errors import RuleFileError
from cleaner.files import OutputError, check_not_an_input, check_side_file, own_files
from cleaner.learning.rulefile import LearnedRules
from cleaner.result import is_body_warning
from cleaner.run.corpus import RecordTask, hard_limit, payload_size
from cleaner.run.document_files import DOCUMENT_FORMATS, open_document_files_sink
from cleaner.run.inputs import (
    InputDocument,
    UniqueIds,
    iter_documents,
    page_kind,
    parse_line,
)
from cleaner.run.output import Sink, open_parquet_sink, open_sink
from cleaner.run.runfile import RunDefinition, RunFileError, RunLog, rules_key, run_file_path
from cleaner.run.shards import ShardedSink, open_sharded_sink
from cleaner.run.stats import RunStats
from cleaner.run.workers import WorkerStartError, ordered_map


def _documents(args: argparse.Namespace, stats: RunStats, kept: Iterator[str], unique: UniqueIds,
               own: frozenset[Path]) -> Iterator[InputDocument]:
    """The documents to clean, in order; what is not a page (a WARC request, a folder's .png) is counted.

    `kept` are the ids of the records a resumed run already has, in order: the documents they stand for
    are matched in step (by position, so an id that two inputs share is matched twice, never dropped) and
    skipped. A document whose id differs from the next kept one was left out (--drop-empty) or not reached.
    """
    upcoming = next(kept, None)
    for item in iter_documents(args.inputs, parse_lines=False, jsonl=args.format == "jsonl", exclude=own,
                               selection=selection(args)):
        if item.skipped is not None:
            stats.skipped[item.skipped] += 1
            continue
        if args.url is not None and item.error is None:
            item = dataclasses.replace(item, url=args.url)  # the one page file's (see `_url_problem`)
        if upcoming is not None:
            parsed = parse_line(item)
            if parsed.id == upcoming:
                unique.check(parsed)
                stats.skipped["already in the output"] += 1  # not on the progress bar: its rate is this run's
                upcoming = next(kept, None)
                continue
        yield item


def _check_rejected(args: argparse.Namespace, output: str | None, own: frozenset[Path]) -> None:
    """`--rejected FILE` gets -o's checks, and is neither the output nor a resumed run's (it is written whole)."""
    if args.resume:
        raise OutputError("--rejected is written whole by one run: it cannot be resumed; drop it with --resume")
    if args.rejected == "-" or (output is not None and Path(args.rejected).resolve() == Path(output).resolve()):
        raise OutputError("--rejected needs a file of its own, not the output or standard output")
    check_not_an_input(args.rejected, own_files(args.rejected), args.inputs)


class _Terminated(Exception):
    """SIGTERM arrived: the run stops as on Ctrl-C."""


class _WriteFailed(Exception):
    """The output took no more records (a full disk, a closed pipe): the run stops, what is written is kept."""


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


def _url_problem(args: argparse.Namespace) -> str | None:
    """Why `--url` cannot be taken (it names the page of a single page file), or None."""
    if args.url is None:
        return None
    single = len(args.inputs) == 1 and args.inputs[0] != "-" and Path(args.inputs[0]).is_file()
    if not single or page_kind(Path(args.inputs[0])) not in ("text", "html"):
        return "--url names the page of a single page file (.txt, .html, gzipped too); records of JSONL, WARC " \
               "and Parquet inputs carry their own URLs"
    if args.engine == "ray":
        return "--url is for a local run of one page: drop --engine ray"
    return None


def _ray_problem(args: argparse.Namespace) -> str | None:
    """What a Ray run does not take (the filters that leave records out run in the local run only)."""
    if args.engine == "ray" and (args.language or args.rejected):
        return "--language and --rejected filter a local run; under --engine ray filter the shards afterwards"
    if args.engine == "ray" and args.shard_size is not None:
        return "--shard-size is the local run's; Ray writes its own shards into -o OUT_DIR"
    if args.engine == "ray" and args.output_format in ("txt", "md"):
        return f"--output-format {args.output_format} is written by a local run; Ray writes JSONL or Parquet shards"
    return None


def _check_shards_outside_inputs(output: str | None, inputs: Sequence[str]) -> None:
    """A folder of shards inside an input folder would be read back as input: refused."""
    if output is None or output == "-":
        return
    folder = Path(os.path.realpath(output))
    for item in inputs:
        if item != "-" and Path(item).is_dir() and folder.is_relative_to(Path(os.path.realpath(item))):
            raise OutputError(f"-o {output} is inside the input folder {item}: its shards would be read as input")


def _learning_problem(args: argparse.Namespace) -> str | None:
    """Why the learning options cannot go together, or None."""
    if args.learned and (args.learn or args.learn_from):
        return "--learned reuses rule files an earlier `cleaner learn` wrote: drop --learn/--learn-from, or --learned"
    if args.learn:
        return stdin_problem(args.inputs, "--learn")
    return stdin_problem(args.learn_from, "--learn-from")


def _learned_folder(args: argparse.Namespace, output: str | None) -> Path | None:
    """Where this run's learned rules are (kept beside -o OUT as OUT.learned/ when it learns), or None."""
    if args.learned:
        return Path(args.learned)
    if (args.learn or args.learn_from) and output is not None:
        return Path(f"{output}.learned")
    return None


def _learn_first(args: argparse.Namespace, cleaner: Cleaner) -> tuple[Cleaner, LearnedRules | None]:
    """With --learn/--learn-from: learn (a pass of its own) and return the cleaner with the rules, and them (to
    keep beside the output, to ship to Ray's actors); with --learned, the cleaner (which has them) and them;
    else the cleaner as it is."""
    if args.learned:
        return cleaner, LearnedRules.read(args.learned)
    if not (args.learn or args.learn_from):
        return cleaner, None
    sources = [*(args.inputs if args.learn else []), *args.learn_from]
    learned = learn_from_inputs(args, cleaner, sources)
    return cleaner.with_learned(learned), learned


def _keep_learned(args: argparse.Namespace, learned: LearnedRules | None, output: str | None) -> None:
    """A run that learned keeps its rule files beside -o OUT (OUT.learned/, written afresh: the output's own
    checks, made before, guard the run) and says what it learned."""
    if learned is None or args.learned:
        return
    folder = _learned_folder(args, output)
    if folder is not None:
        learned.write(folder, overwrite=True)
    if not args.quiet:
        print(learning_summary(learned, str(folder) if folder else "memory"), file=sys.stderr)


def run_clean(args: argparse.Namespace, argv: Sequence[str]) -> int:
    problem = _url_problem(args) or _ray_problem(args) or _learning_problem(args)
    if problem is not None:
        print(f"cleaner: {problem}", file=sys.stderr)
        return 2
    output = output_path(args)
    try:
        cleaner = Cleaner(args.rules, bundled_rules=not args.no_bundled_rules, pattern_timeout=args.pattern_timeout,
                          min_chars=args.min_chars, learned=args.learned)
    except RuleFileError as exc:
        print(f"cleaner: invalid rule file(s), nothing was cleaned:\n{exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    fmt = args.output_format or ("parquet" if (output or "").endswith(".parquet") else "jsonl")
    if args.engine == "ray":
        from cleaner.integrations.ray import run_cli

        cleaner, learned = _learn_first(args, cleaner)
        _keep_learned(args, learned, output)
        return run_cli(args, cleaner, fmt, learned)
    own = own_files(output)  # before open_sink, which may move a finished output to its partial file
    rejected_sink: Sink | None = None
    try:
        if args.resume and args.overwrite:
            raise OutputError("--resume and --overwrite contradict each other: choose one")
        if output is not None:
            check_not_an_input(output, own, args.inputs)
        if args.stats:
            check_side_file(args.stats, "--stats", args.inputs, own)
        if args.rejected is not None:
            _check_rejected(args, output, own)
        if args.shard_size is not None:
            if fmt in DOCUMENT_FORMATS:
                raise OutputError(f"--shard-size shards JSONL or Parquet records; --output-format {fmt} writes a "
                                  "file per document")
            _check_shards_outside_inputs(output, args.inputs)
            sink: Sink = open_sharded_sink(output, fmt, args.shard_size, resume=args.resume,
                                           overwrite=args.overwrite, explain=args.explain)
        elif fmt in DOCUMENT_FORMATS:
            sink = open_document_files_sink(output, fmt, resume=args.resume, overwrite=args.overwrite,
                                                  inputs=args.inputs, keep_dirs=args.keep_dirs)
        elif fmt == "parquet":
            sink = open_parquet_sink(output, resume=args.resume, explain=args.explain, overwrite=args.overwrite)
        else:
            sink = open_sink(output, resume=args.resume, overwrite=args.overwrite)
        if args.rejected is not None:
            try:
                rejected_sink = open_sink(args.rejected, resume=False, overwrite=args.overwrite)
            except OutputError:
                sink.close()
                raise
    except OutputError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    try:
        cleaner, learned = _learn_first(args, cleaner)
        log = _run_log(args, sink, own, fmt, learned)  # a resumed run must have learned the same rules
        _keep_learned(args, learned, output)
    except RunFileError as exc:
        sink.close()
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        return _run(args, argv, cleaner, sink, own, log, rejected_sink)
    finally:
        sink.close()
        if rejected_sink is not None:
            rejected_sink.close()
        if log is not None:
            log.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run_log(args: argparse.Namespace, sink: Sink, own: frozenset[Path], fmt: str,
             learned: LearnedRules | None = None) -> RunLog | None:
    """The run file beside a resumable output (a regular JSONL file): started anew, or checked and resumed.
    The learned rules count as rules: their files' text is part of the run's definition."""
    if sink.partial is None or sink.target is None or (fmt != "jsonl" and not isinstance(sink, ShardedSink)):
        return None
    from cleaner.ruleset.loader import bundled_rules_dir

    folders = ([] if args.no_bundled_rules else [bundled_rules_dir()]) + [Path(d) for d in args.rules]
    rules = rules_key(folders)
    if learned is not None:
        rules = content_key([rules, *(part for file in learned.files for part in file)])
    options = {"--explain": args.explain, "--format": args.format, "--min-chars": args.min_chars,
               "--drop-empty": args.drop_empty, "--no-bundled-rules": args.no_bundled_rules,
               "--rules": list(args.rules), "--compressed": str(sink.target).lower().endswith(".gz")}
    options.update({key: value for key, value in (("--include", args.include), ("--exclude", args.exclude),
                                                  ("--url", args.url), ("--language", args.language),
                                                  ("--learn", args.learn), ("--learn-from", args.learn_from),
                                                  ("--learned", args.learned)) if value})
    definition = RunDefinition.of(args.inputs, rules, options, own)
    path = run_file_path(sink.target)
    if args.resume and (sink.safe or path.exists()):
        return RunLog.resume(path, definition, sink.safe)
    return RunLog.start(path, definition)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _run(args: argparse.Namespace, argv: Sequence[str], cleaner: Cleaner, sink: Sink, own: frozenset[Path],
         log: RunLog | None, rejected: Sink | None = None) -> int:
    started = time.perf_counter()
    stats = RunStats()
    progress = progress_bar(args, sink.safe if args.resume else 0)
    timeout = args.timeout or None
    page_format = None if args.format in ("auto", "jsonl") else args.format
    task = RecordTask(cleaner, timeout, page_format, args.explain, args.drop_empty,
                      frozenset(args.language) if args.language else None, rejected is not None)
    unique = UniqueIds()
    documents = _documents(args, stats, sink.kept, unique, own)
    outcomes = ordered_map(task, documents, jobs=args.jobs, lost=task.lost, size=payload_size,
                           deadline=hard_limit(timeout), isolate=timeout is not None)
    try:
        for outcome in outcomes:
            if outcome.where is not None:
                checked = unique.check(InputDocument(outcome.id, url=outcome.url, where=outcome.where))
                if checked.error is not None:
                    outcome = task.failed(checked)
            stats.add(outcome.facts)
            try:
                if log is not None:
                    log.record(outcome.facts, written=outcome.line is not None)
                if outcome.line is not None:
                    sink.write(outcome.line)
                if outcome.rejected is not None and rejected is not None:
                    rejected.write(outcome.rejected)
            except OSError as exc:
                raise _WriteFailed(exc.strerror or str(exc)) from exc
            if outcome.error is not None and not args.quiet:
                progress.write(printable(f"cleaner: {outcome.id}: {outcome.error}"), file=sys.stderr)
            rate = stats.input_chars / 1e6 / max(time.perf_counter() - started, 1e-9)
            failures = f", {stats.failed} failed" if stats.failed else ""
            progress.set_postfix_str(f"{rate:.2f} MB/s{failures}", refresh=False)
            progress.update()
        try:
            if log is not None:
                whole = RunStats()
                whole.merge(log.restored)
                whole.merge(stats)
                whole.seconds = log.restored.seconds + time.perf_counter() - started
                log.finish(whole, sink.safe)
            sink.finish()
            if rejected is not None:
                rejected.finish()
        except OSError as exc:
            raise _WriteFailed(exc.strerror or str(exc)) from exc
    except (KeyboardInterrupt, _Terminated) as exc:
        progress.close()
        why = "interrupted" if isinstance(exc, KeyboardInterrupt) else "stopped (SIGTERM)"
        print(f"cleaner: {why} after {stats.documents} document(s){_how_to_resume(sink, argv)}", file=sys.stderr)
        return 130
    except WorkerStartError as exc:
        progress.close()
        print(f"cleaner: {exc}; try fewer --jobs{_how_to_resume(sink, argv)}", file=sys.stderr)
        return 2
    except _WriteFailed as exc:  # the output cannot take more (a full disk, a closed pipe)
        progress.close()
        print(f"cleaner: cannot write {sink.name}: {exc}{_how_to_resume(sink, argv)}", file=sys.stderr)
        return 2
    progress.close()
    stats.seconds = time.perf_counter() - started
    if log is not None and log.restored.documents:  # a resumed run: its statistics cover every record
        stats.merge(log.restored)
        stats.seconds += log.restored.seconds
    if args.stats:
        try:
            stats.write(args.stats, [rule.id for ruleset in cleaner.rulesets for rule in ruleset.rules])
        except OSError as exc:
            print(f"cleaner: cannot write --stats {args.stats}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if not args.quiet:
        print(_summary(stats, sink.name, args.stats), file=sys.stderr)
    return 1 if stats.failed else 0


def _how_to_resume(sink: Sink, argv: Sequence[str]) -> str:
    """Where the records written so far are, and the command that continues the run."""
    if sink.partial is None:
        return ""
    again = ["cleaner", *argv] + ([] if "--resume" in argv else ["--resume"])
    return (f"; {sink.safe} record(s) are safe in {sink.partial}; to continue: "
            f"{' '.join(shlex.quote(part) for part in again)}")


def _summary(stats: RunStats, output: str, stats_path: str | None) -> str:
    """The run in a few lines: counts, speed, where the output went, and the rules that removed most."""
    seconds = max(stats.seconds, 1e-9)
    size = stats.input_chars
    lines = [
        f"cleaner: {stats.documents} document(s), {stats.documents - stats.failed} cleaned, {stats.failed} failed"
        f" -> {output}",
        f"  {size / 1e6:.2f} MB in {stats.seconds:.2f} s ({stats.documents / seconds:.1f} docs/s, "
        f"{size / 1e6 / seconds:.2f} MB/s)",
    ]
    if stats.short_bodies:
        dropped = f", {stats.dropped} left out (--drop-empty)" if stats.dropped else ""
        lines.append(f"  {stats.short_bodies} with no article body or a short one (warning in the record){dropped}")
    others = [(kind, n) for kind, n in stats.warnings.most_common() if not is_body_warning(kind)]
    if others:
        lines.append("  warnings: " + ", ".join(f"{kind} ({n})" for kind, n in others[:3])
                     + (f", {len(others) - 3} more kinds (see --stats)" if len(others) > 3 else ""))
    if stats.off_language:
        lines.append(f"  {stats.off_language} in other languages left out (--language)")
    if stats.failures:
        lines.append("  failures: " + ", ".join(f"{n} {kind}" for kind, n in sorted(stats.failures.items())))
    if stats.skipped:
        lines.append("  skipped: " + ", ".join(f"{kind} ({n})" for kind, n in stats.skipped.most_common()))
    top = stats.top_rules(5)
    if top:
        lines.append("  removed most: " + ", ".join(f"{rule} ({c.chars:,} chars in {c.removals:,} removals)"
                                                    for rule, c in top))
    if stats_path:
        lines.append(f"  statistics in {stats_path}")
    return "\n".join(lines)
