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
from typing import TextIO

from cleaner import __version__
from cleaner.inputs import iter_documents
from cleaner.pipeline import Cleaner
from cleaner.result import CleanResult
from cleaner.ruleset.loader import DEFAULT_PATTERN_TIMEOUT, RuleFileError


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
    clean.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here (default: standard output)")
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
    clean.add_argument("--quiet", "-q", action="store_true", help="no summary on standard error")
    return parser


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


def run_clean(args: argparse.Namespace) -> int:
    try:
        cleaner = Cleaner(args.rules, bundled_rules=not args.no_bundled_rules, pattern_timeout=args.pattern_timeout)
    except RuleFileError as exc:
        print(f"cleaner: invalid rule file(s), nothing was cleaned:\n{exc}", file=sys.stderr)
        return 2
    if args.resume and not args.output:
        print("cleaner: --resume needs -o OUT.jsonl (the output to continue)", file=sys.stderr)
        return 2
    kept, done = _kept_records(args.output) if args.resume else ([], set())
    if args.timeout:
        cleaner.warm_up()  # one-time loads must not count against the first page's time limit
    started = time.perf_counter()
    total = failed = size = skipped = not_pages = 0
    with _output(args.output, kept) as out:
        for item in iter_documents(args.inputs):
            if item.skipped is not None:
                not_pages += 1
                continue
            if item.id in done:
                skipped += 1
                continue
            total += 1
            if item.error is not None:
                result = CleanResult(id=item.id, url=item.url, error=item.error)
            else:
                assert item.payload is not None
                size += len(item.payload)
                result = cleaner.clean_or_error(
                    item.payload, item.url, title=item.title, id=item.id, timeout=args.timeout or None,
                    format=args.format if args.format != "auto" else item.format,
                )
            if result.error is not None:
                failed += 1
                if not args.quiet:
                    print(f"cleaner: {item.id}: {result.error}", file=sys.stderr)
            out.write(json.dumps(result.to_dict(explain=args.explain), ensure_ascii=False) + "\n")
            out.flush()
    if not args.quiet:
        seconds = time.perf_counter() - started
        resumed = f" ({skipped} already in the output, skipped)" if args.resume else ""
        others = f"; {not_pages} WARC record(s) skipped (not HTML responses)" if not_pages else ""
        print(f"cleaner: {total} document(s), {total - failed} cleaned, {failed} failed, "
              f"{size / 1e6:.2f} MB in {seconds:.2f} s{resumed}{others}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "clean":
        return run_clean(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
