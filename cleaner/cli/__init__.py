"""`cleaner clean INPUT... [-o OUT.jsonl]`: the preprocessing step, from the command line; `cleaner learn`,
`cleaner rules check|test|list|schema` and `cleaner explain PAGE`: the rule author's tools. One module per command.

Exit status: 0 when every document was cleaned, 1 when some failed (each still
has a record, with `error`), 2 for usage errors and invalid rule files (reported
before any document is read).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cleaner.api import Cleaner
from cleaner.cli.clean import run_clean
from cleaner.cli.explain import run_explain
from cleaner.cli.learn import run_learn
from cleaner.cli.parser import _parser
from cleaner.cli.rules import run_rules

__all__ = ["Cleaner", "_parser", "main"]


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
