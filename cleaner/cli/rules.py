"""`cleaner rules check|test|list|schema`: the rule author's tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.errors import RuleFileError
from cleaner.files import OutputError, check_side_file, write_side_file


def run_rules(args: argparse.Namespace) -> int:
    """`cleaner rules check|test|list|schema`."""
    from cleaner.tools import authoring

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
