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
import tempfile
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
        description="Clean text pages (files, folders of *.txt, JSONL with a 'text' field, or - for stdin) "
        "into one JSONL record per document.",
    )
    clean.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl file, or - for stdin")
    clean.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here (default: standard output)")
    clean.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="folder of YAML rule files (repeatable); a site id replaces the bundled one")
    clean.add_argument("--no-bundled-rules", action="store_true", help="use only the --rules folders")
    clean.add_argument("--explain", action="store_true", help="add 'removed': every removed line/span and its rule")
    clean.add_argument("--pattern-timeout", type=float, default=DEFAULT_PATTERN_TIMEOUT, metavar="SECONDS",
                       help=f"longest a rule's pattern may run on one line (default {DEFAULT_PATTERN_TIMEOUT})")
    clean.add_argument("--quiet", "-q", action="store_true", help="no summary on standard error")
    return parser


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a temporary file renamed onto `path` only when the run completes."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    fd, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".part")
    try:
        with open(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def run_clean(args: argparse.Namespace) -> int:
    try:
        cleaner = Cleaner(args.rules, bundled_rules=not args.no_bundled_rules, pattern_timeout=args.pattern_timeout)
    except RuleFileError as exc:
        print(f"cleaner: invalid rule file(s), nothing was cleaned:\n{exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    total = failed = size = 0
    with _output(args.output) as out:
        for item in iter_documents(args.inputs):
            total += 1
            if item.error is not None:
                result = CleanResult(id=item.id, url=item.url, error=item.error)
            else:
                assert item.payload is not None
                size += len(item.payload)
                result = cleaner.clean_or_error(item.payload, item.url, title=item.title, id=item.id)
            if result.error is not None:
                failed += 1
                if not args.quiet:
                    print(f"cleaner: {item.id}: {result.error}", file=sys.stderr)
            out.write(json.dumps(result.to_dict(explain=args.explain), ensure_ascii=False) + "\n")
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(f"cleaner: {total} document(s), {total - failed} cleaned, {failed} failed, "
              f"{size / 1e6:.2f} MB in {seconds:.2f} s", file=sys.stderr)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "clean":
        return run_clean(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
