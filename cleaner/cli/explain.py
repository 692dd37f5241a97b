"""`cleaner explain PAGE`: a page's lines, what left the body, the rule and the `file:line` that took it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.cli.common import refusal
from cleaner.controls import printable
from cleaner.errors import RuleFileError
from cleaner.files import OutputError, check_side_file, write_side_file
from cleaner.run.inputs import (
    InputDocument,
    iter_documents,
    parse_line,
)


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
    from cleaner.tools.explain import explain, render_html, render_text, wants_colour

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
        return refusal(exc)
    except CleanerError as exc:
        print(printable(f"cleaner: {args.page}: {exc}"), file=sys.stderr)
        return 1
    sys.stdout.write(render_text(explanation, colour=wants_colour(args.color)))
    if args.html:
        write_side_file(args.html, render_html(explanation, title=f"cleaner explain {args.page}"))
    return 0
