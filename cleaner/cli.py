"""`cleaner clean INPUT... [-o OUT.jsonl]`: the preprocessing step, from the command line; `cleaner rules
check|test|schema` and `cleaner explain PAGE`: the rule author's tools.

Exit status: 0 when every document was cleaned, 1 when some failed (each still
has a record, with `error`), 2 for usage errors and invalid rule files (reported
before any document is read).
"""

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
from typing import Any

from tqdm import tqdm

from cleaner import __version__, arguments
from cleaner.cache import content_key
from cleaner.controls import printable
from cleaner.corpus import RecordTask, hard_limit, payload_size
from cleaner.document_files import DOCUMENT_FORMATS, open_document_files_sink
from cleaner.inputs import (
    FileSelection,
    InputDocument,
    UniqueIds,
    count_documents,
    iter_documents,
    page_kind,
    parse_line,
)
from cleaner.learning.rulefile import LearnedRules, earlier_files
from cleaner.output import (
    OutputError,
    Sink,
    check_not_an_input,
    check_side_file,
    open_parquet_sink,
    open_sink,
    own_files,
    write_side_file,
)
from cleaner.pipeline import DEFAULT_MIN_CHARS, NO_BODY, Cleaner
from cleaner.ruleset.lexicon import LANGUAGE_CODE
from cleaner.ruleset.loader import DEFAULT_PATTERN_TIMEOUT, RuleFileError
from cleaner.runfile import RunDefinition, RunFileError, RunLog, rules_key, run_file_path
from cleaner.shards import ShardedSink, open_sharded_sink
from cleaner.stats import RunStats
from cleaner.workers import WorkerStartError, available_cpus, ordered_map


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
    clean.add_argument("inputs", nargs="+", metavar="INPUT",
                       help="a page file (.txt, .html, gzipped too), a folder of them, a .jsonl/.json, WARC or "
                       "Parquet file, or - for stdin")
    clean.add_argument("--language", metavar="CODES", type=_language_codes, default=None,
                       help="keep only documents detected in these languages (ISO 639-1, comma-separated: id,ms,en); "
                       "the others are left out and counted")
    clean.add_argument("--rejected", metavar="FILE.jsonl",
                       help="write every record --language or --drop-empty left out here (with 'left_out': why)")
    clean.add_argument("--url", metavar="URL",
                       help="the URL of a single page file input (chooses its site rule, as explain's --url does)")
    clean.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="of a folder input, read only the files matching GLOB (their path below the folder "
                       "or their name: '*.txt', '2024/*'); repeatable")
    clean.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="of a folder input, leave out the files matching GLOB ('*.expected.json'); repeatable")
    clean.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here (default, or -: standard output)")
    clean.add_argument("--jobs", "-j", type=_positive_int, default=available_cpus(), metavar="N",
                       help="worker processes (default: the CPUs this process may use, here %(default)s; "
                       "1 = clean in this process)")
    clean.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="folder of YAML rule files (repeatable); a site id replaces the bundled one")
    clean.add_argument("--no-bundled-rules", action="store_true", help="use only the --rules folders")
    clean.add_argument("--learn", action="store_true",
                       help="first learn each site's chrome from the inputs (what many of its documents repeat), "
                       "then clean with it; with -o OUT the learned rule files are kept in OUT.learned/")
    clean.add_argument("--learn-from", action="append", default=[], metavar="INPUT",
                       help="learn from these inputs instead (a sample, another export); repeatable")
    clean.add_argument("--learned", metavar="DIR", help="clean with the rule files `cleaner learn` wrote to DIR")
    clean.add_argument("--explain", action="store_true", help="add 'removed': every removed line/span and its rule")
    clean.add_argument("--pattern-timeout", type=_seconds, default=DEFAULT_PATTERN_TIMEOUT, metavar="SECONDS",
                       help=f"longest a rule's pattern may run on one line (default {DEFAULT_PATTERN_TIMEOUT})")
    clean.add_argument("--timeout", type=_seconds_or_zero, default=DEFAULT_DOCUMENT_TIMEOUT, metavar="SECONDS",
                       help=f"longest one document may take; it then gets an error record "
                       f"(default {DEFAULT_DOCUMENT_TIMEOUT:g}, 0 = no limit)")
    clean.add_argument("--resume", action="store_true",
                       help="continue a killed run with the same inputs: keep the records already in -o OUT "
                       "(or its unfinished .partial file), skip the documents they stand for, append the rest; "
                       "refused when the inputs, rules or options differ from the run that wrote them")
    clean.add_argument("--overwrite", action="store_true",
                       help="start over even when -o OUT has an unfinished .partial file of an earlier run "
                       "(its records are discarded; without this or --resume the run is refused)")
    clean.add_argument("--format", choices=("auto", "text", "html", "jsonl"), default="auto",
                       help="how to read pages (default: by file name, JSONL field, or the first tag); "
                       "jsonl: every input is JSONL records, standard input too")
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
    clean.add_argument("--output-format", choices=("jsonl", "parquet", "txt", "md"), default=None,
                       help="records as JSONL (default) or Parquet (pyarrow; also chosen by -o OUT.parquet); txt "
                       "or md: one file per document in the folder -o DIR (title first; md with front matter)")
    clean.add_argument("--shard-size", type=_positive_int, default=None, metavar="N",
                       help="write -o as a folder of shards of N records each (part-00000.jsonl, .jsonl.gz when -o "
                       "ends in .gz, .parquet with --output-format parquet), each renamed when complete; "
                       "--resume keeps the complete ones")
    clean.add_argument("--keep-dirs", action="store_true",
                       help="with txt or md, keep each file's folders below its input folder")
    clean.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="local: this machine's --jobs workers (default); ray: a Ray cluster, -o is a folder "
                       "of shards (pip install 'cleaner[ray]')")
    clean.add_argument("--ray-address", metavar="ADDRESS", default=None,
                       help="the Ray cluster to join (auto: the running one; default: start one on this machine)")
    _rules_parser(commands)
    _learn_parser(commands)
    explain = commands.add_parser("explain", help="show what the rules removed from one page, line by line",
                                  description="Clean one page and print its lines in order: removed lines marked "
                                  "'-', lines that lost a span '~', each with the rule and its file:line; then the "
                                  "metadata and the rule that captured each field.")
    explain.add_argument("page", metavar="PAGE", help="a text or HTML file (gzipped too), or of a JSONL, WARC or "
                         "Parquet file its first document (FILE:N its N-th; --id ID the one with that id), or - "
                         "for stdin")
    explain.add_argument("--id", metavar="ID", help="of a file of many documents, the one with this id (as the "
                         "records and --stats name it)")
    explain.add_argument("--url", help="the page's URL (chooses the site rule)")
    explain.add_argument("--rules", action="append", default=[], metavar="DIR", help="folder of YAML rule files")
    explain.add_argument("--no-bundled-rules", action="store_true", help="use only the --rules folders")
    explain.add_argument("--learned", metavar="DIR", help="with the rule files `cleaner learn` wrote to DIR (those "
                         "of the page's group: its URL's domain, else its site, else the input it is part of)")
    explain.add_argument("--format", choices=("auto", "text", "html"), default="auto",
                         help="how to read the page (default: by its file name or first tag)")
    explain.add_argument("--html", metavar="REPORT.html",
                         help="also write a self-contained HTML report of the page (removals coloured by concept)")
    explain.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the terminal output (default: on a terminal)")
    return parser


def _page_and_number(page: str) -> tuple[str, int | None]:
    """`FILE:N` (N a number, FILE an existing file, PAGE itself none): the file and the document wanted."""
    head, _, tail = page.rpartition(":")
    if head and tail.isdigit() and int(tail) > 0 and not Path(page).exists() and Path(head).is_file():
        return head, int(tail)
    return page, None


def _explained_document(source: str, number: int | None, wanted_id: str | None) -> InputDocument | None:
    """Of `source`'s documents (as `clean` reads them), the one `explain` shows: the N-th (a JSONL file's line
    N), the one with id `wanted_id`, else the first. Documents are parsed one at a time, not held."""
    documents = (parse_line(d) for d in iter_documents([source]) if d.skipped is None)
    for position, item in enumerate(documents, start=1):
        if wanted_id is not None:
            if item.id == wanted_id:
                return item
        elif number is None or position == number or (item.where or "").startswith(f"line {number} of "):
            return item
    return None


def run_explain(args: argparse.Namespace) -> int:
    """`cleaner explain PAGE`: the page is read as `cleaner clean` reads it (its first document, or the one
    `PAGE:N` or `--id` names)."""
    from cleaner.errors import CleanerError
    from cleaner.explain import explain, render_html, render_text, wants_colour

    if args.html:
        try:
            check_side_file(args.html, "--html", [args.page])
        except OutputError as exc:
            print(f"cleaner: {exc}", file=sys.stderr)
            return 2
    source, number = _page_and_number(args.page)
    item = _explained_document(source, number, args.id)
    if item is None or item.error is not None or item.payload is None:
        why = item.error if item is not None and item.error else (
            f"no document with id {args.id!r}" if args.id is not None else
            f"no document {number}" if number is not None else "no page in it")
        print(f"cleaner: cannot read {args.page}: {why}", file=sys.stderr)
        return 2
    fmt = item.format if args.format == "auto" else args.format
    try:
        cleaner = Cleaner(args.rules, bundled_rules=not args.no_bundled_rules, learned=args.learned)
        explanation = explain(cleaner, item.payload, args.url or item.url, format=fmt, source=item.source)
    except (RuleFileError, OutputError) as exc:
        return _refusal(exc)
    except CleanerError as exc:
        print(printable(f"cleaner: {args.page}: {exc}"), file=sys.stderr)
        return 1
    sys.stdout.write(render_text(explanation, colour=wants_colour(args.color)))
    if args.html:
        write_side_file(args.html, render_html(explanation, title=f"cleaner explain {args.page}"))
    return 0


def _refusal(exc: RuleFileError | OutputError) -> int:
    """Say why the command cannot run as asked (a bad rule file, an output it may not write): exit 2."""
    message = f"invalid rule file(s):\n{exc}" if isinstance(exc, RuleFileError) else str(exc)
    print(f"cleaner: {message}", file=sys.stderr)
    return 2


def _learn_parser(commands: Any) -> None:
    learn = commands.add_parser(
        "learn", help="learn each site's chrome from a corpus, as rule files to review",
        description="Read a corpus as `clean` does, group its documents by site (the URL's domain, else the "
        "site recognised, else the input) and write one YAML rule file per site into DIR: the lines, frames "
        "('Label: <value>'), prefixes and suffixes that many of its documents repeat after the bundled rules "
        "ran. Review them, then clean with `--learned DIR` (or keep them with your --rules).")
    learn.add_argument("inputs", nargs="+", metavar="INPUT", help="what `cleaner clean` reads (- for standard input)")
    learn.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write the rule files into")
    learn.add_argument("--overwrite", action="store_true",
                       help="replace the learned rule files an earlier run left in DIR (and only those)")
    learn.add_argument("--jobs", "-j", type=_positive_int, default=available_cpus(), metavar="N",
                       help="worker processes (default: the CPUs this process may use, here %(default)s)")
    learn.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="folder of YAML rule files used before learning (repeatable)")
    learn.add_argument("--no-bundled-rules", action="store_true", help="use only the --rules folders")
    learn.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="of a folder input, read only the files matching GLOB; repeatable")
    learn.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="of a folder input, leave out the files matching GLOB; repeatable")
    learn.add_argument("--format", choices=("auto", "text", "html", "jsonl"), default="auto",
                       help="how to read pages (as for clean)")
    learn.add_argument("--timeout", type=_seconds_or_zero, default=DEFAULT_DOCUMENT_TIMEOUT, metavar="SECONDS",
                       help="longest one document may take; it is then left out "
                       f"(default {DEFAULT_DOCUMENT_TIMEOUT:g})")
    learn.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="a progress bar on standard error (default: when it is a terminal)")
    learn.add_argument("--quiet", "-q", action="store_true", help="no summary or progress on standard error")


def _learning_documents(args: argparse.Namespace, inputs: Sequence[str]) -> Iterator[InputDocument]:
    """The documents learning reads (what is not a page, skipped)."""
    for item in iter_documents(inputs, parse_lines=False, jsonl=args.format == "jsonl", selection=_selection(args)):
        if item.skipped is None:
            yield item


def _learn(args: argparse.Namespace, cleaner: Cleaner, inputs: Sequence[str]) -> LearnedRules:
    """Learn from `inputs` with the run's options."""
    from cleaner.learning.learn import learn

    page_format = None if args.format in ("auto", "jsonl") else args.format
    with _progress(args, inputs=inputs, desc="learning") as progress:
        return learn(cleaner, _learning_documents(args, inputs), jobs=args.jobs, timeout=args.timeout or None,
                     format=page_format, seen=progress.update)


def _learning_summary(learned: LearnedRules, where: str) -> str:
    documents = sum(n for _, n, _ in learned.groups)
    rules = sum(r for _, _, r in learned.groups)
    lines = [f"cleaner: learned {rules} rule(s) for {len(learned.files)} of {len(learned.groups)} site(s) from "
             f"{documents} document(s) -> {where}"]
    for group, count, found in sorted(learned.groups, key=lambda g: (-g[1], g[0]))[:10]:
        lines.append(f"  {printable(group)}: {found} rule(s) from {count} document(s)")
    if len(learned.groups) > 10:
        lines.append(f"  ... {len(learned.groups) - 10} more")
    return "\n".join(lines)


def _stdin_problem(inputs: Sequence[str], what: str) -> str | None:
    return f"{what} reads its inputs in a pass of its own: standard input (-) cannot be read twice; save it to " \
           "a file first" if "-" in inputs else None


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
        learned = _learn(args, cleaner, args.inputs).write(output, overwrite=args.overwrite)
    except (RuleFileError, OutputError) as exc:
        return _refusal(exc)
    if not args.quiet:
        print(_learning_summary(learned, str(output)), file=sys.stderr)
    return 0


def _rules_parser(commands: Any) -> None:
    rules = commands.add_parser("rules", help="check, test and describe rule files",
                                description="Tools for rule authors: validate rule folders, run their examples, "
                                "write the JSON Schema of rule files.")
    tools = rules.add_subparsers(dest="tool", required=True)
    check = tools.add_parser("check", help="validate rule folders (the checks made when rules load)",
                             description="Validate rule folders without cleaning anything: every problem as "
                             "FILE:LINE: rule 'ID': PROBLEM, exit 2; else 'ok: N files, M rules', exit 0.")
    check.add_argument("folders", nargs="+", metavar="DIR", help="folder of YAML rule files")
    test = tools.add_parser("test", help="clean the examples beside rule files and compare",
                            description="Clean each example (x.tests/NAME.txt or .html beside x.yaml, with "
                            "NAME.expected.json) and compare body and metadata; a diff per failing example, exit 1.")
    test.add_argument("folders", nargs="+", metavar="DIR", help="folder of YAML rule files")
    test.add_argument("--examples", action="append", default=[], metavar="DIR",
                      help="also run every NAME.expected.json under DIR (repeatable)")
    listing = tools.add_parser("list", help="list the sites, generic rule sets and lexicon languages",
                               description="What the rules hold: each site with its rule count, name and "
                               "domains; the generic rule sets; each lexicon concept with its languages.")
    listing.add_argument("folders", nargs="*", metavar="DIR", help="rule folders besides the bundled ones")
    for tool in (check, test, listing):
        tool.add_argument("--no-bundled-rules", action="store_true",
                          help="without the bundled rules (a folder that uses their variables then fails)")
    schema = tools.add_parser("schema", help="write the JSON Schema of rule files (for editor completion)")
    schema.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")


def run_rules(args: argparse.Namespace) -> int:
    """`cleaner rules check|test|list|schema`."""
    from cleaner import authoring

    folders = [Path(f) for f in getattr(args, "folders", [])]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        print(f"cleaner: not a folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.tool == "schema":
        import json

        from cleaner.ruleset.schema import rule_file_schema

        text = json.dumps(rule_file_schema(), indent=2, ensure_ascii=False) + "\n"
        if args.output and args.output != "-":
            try:
                check_side_file(args.output, "-o")
            except OutputError as exc:
                print(f"cleaner: {exc}", file=sys.stderr)
                return 2
            write_side_file(args.output, text)
        else:
            sys.stdout.write(text)
        return 0
    bundled = not args.no_bundled_rules
    if args.tool == "list":
        try:
            sys.stdout.write(authoring.render_listing(authoring.list_rules(folders, bundled=bundled)))
        except RuleFileError as exc:
            print(f"cleaner: invalid rule file(s):\n{exc}", file=sys.stderr)
            return 2
        return 0
    report = authoring.check_rule_folders(folders, bundled=bundled)
    if report.problems:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 2
    if args.tool == "check":
        print(f"ok: {report.files} files, {report.rules} rules")
        return 0
    examples = authoring.find_examples(folders, [Path(e) for e in args.examples])
    if not examples:
        print("cleaner: no examples found: put NAME.txt (or .html) and NAME.expected.json in a folder named "
              "after the rule file (rules/sites/x.yaml -> rules/sites/x.tests/)", file=sys.stderr)
        return 1
    results = authoring.run_examples(examples, folders, bundled=bundled)
    failed = [r for r in results if r.problems]
    for result in failed:
        print(f"FAIL {result.example.page}")
        for line in result.problems:
            print(f"  {line}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _positive_int(value: str) -> int:
    try:
        return arguments.jobs(int(value))
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seconds(value: str) -> float:
    try:
        number = arguments.seconds(float(value), "the pattern timeout")
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    assert number is not None
    return number


def _seconds_or_zero(value: str) -> float:
    try:
        return arguments.seconds(float(value), "the timeout", zero_means_none=True) or 0.0
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


#: Seconds one document may take by default: far above a normal page (milliseconds), low enough
#: that a pathological page costs a run seconds, not hours.
DEFAULT_DOCUMENT_TIMEOUT = 10.0


def _output_path(args: argparse.Namespace) -> str | None:
    return None if args.output in (None, "-") else str(args.output)


def _documents(args: argparse.Namespace, stats: RunStats, kept: Iterator[str], unique: UniqueIds,
               own: frozenset[Path]) -> Iterator[InputDocument]:
    """The documents to clean, in order; what is not a page (a WARC request, a folder's .png) is counted.

    `kept` are the ids of the records a resumed run already has, in order: the documents they stand for
    are matched in step (by position, so an id that two inputs share is matched twice, never dropped) and
    skipped. A document whose id differs from the next kept one was left out (--drop-empty) or not reached.
    """
    upcoming = next(kept, None)
    for item in iter_documents(args.inputs, parse_lines=False, jsonl=args.format == "jsonl", exclude=own,
                               selection=_selection(args)):
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


def _language_codes(value: str) -> list[str]:
    """`--language id,ms,en`: ISO 639-1 codes, comma-separated."""
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    if not codes or not all(LANGUAGE_CODE.fullmatch(code) for code in codes):
        raise argparse.ArgumentTypeError(f"expected ISO 639-1 codes separated by commas (id,ms,en), not {value!r}")
    return sorted(set(codes))


def _check_rejected(args: argparse.Namespace, output: str | None, own: frozenset[Path]) -> None:
    """`--rejected FILE` gets -o's checks, and is neither the output nor a resumed run's (it is written whole)."""
    if args.resume:
        raise OutputError("--rejected is written whole by one run: it cannot be resumed; drop it with --resume")
    if args.rejected == "-" or (output is not None and Path(args.rejected).resolve() == Path(output).resolve()):
        raise OutputError("--rejected needs a file of its own, not the output or standard output")
    check_not_an_input(args.rejected, own_files(args.rejected), args.inputs)


def _selection(args: argparse.Namespace) -> FileSelection:
    """The files of folder inputs the run reads (`--include`, `--exclude`)."""
    return FileSelection(tuple(args.include), tuple(args.exclude))


def _progress(args: argparse.Namespace, resumed: int = 0, inputs: Sequence[str] | None = None,
              desc: str | None = None) -> tqdm[Any]:
    """A progress bar on standard error: on a terminal by default, forced on or off by --progress. The
    `resumed` records an earlier run wrote are left out of its total (and its rate); `inputs` are the run's
    unless given (learning from a sample), `desc` names the pass."""
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    tqdm.monitor_interval = 0  # no monitor thread: workers may be forked while the bar runs
    total = count_documents(args.inputs if inputs is None else inputs, _selection(args)) \
        if show and not args.quiet else None
    if total is not None:
        total = max(total - resumed, 0)
    return tqdm(total=total, unit="doc", file=sys.stderr, disable=args.quiet or not show, dynamic_ncols=True,
                smoothing=0.1, desc=desc)


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
        return _stdin_problem(args.inputs, "--learn")
    return _stdin_problem(args.learn_from, "--learn-from")


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
    learned = _learn(args, cleaner, sources)
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
        print(_learning_summary(learned, str(folder) if folder else "memory"), file=sys.stderr)


def run_clean(args: argparse.Namespace, argv: Sequence[str]) -> int:
    problem = _url_problem(args) or _ray_problem(args) or _learning_problem(args)
    if problem is not None:
        print(f"cleaner: {problem}", file=sys.stderr)
        return 2
    output = _output_path(args)
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
    progress = _progress(args, sink.safe if args.resume else 0)
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


#: Warnings the summary counts on their own line (short bodies), not among the other warnings.
_BODY_WARNINGS = (NO_BODY, "body shorter than")


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
    others = [(kind, n) for kind, n in stats.warnings.most_common() if not kind.startswith(_BODY_WARNINGS)]
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "clean":
        return run_clean(args, list(sys.argv[1:] if argv is None else argv))
    if args.command == "learn":
        return run_learn(args)
    if args.command == "rules":
        return run_rules(args)
    if args.command == "explain":
        return run_explain(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
