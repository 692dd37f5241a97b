"""The command line's grammar: every command and option, with the help a user reads."""

from __future__ import annotations

import argparse
from typing import Any

from cleaner import __version__
from cleaner.cli.options import DEFAULT_DOCUMENT_TIMEOUT, count, language_codes, positive_int, seconds, seconds_or_zero
from cleaner.pipeline import DEFAULT_MIN_CHARS
from cleaner.ruleset.patterns import DEFAULT_PATTERN_TIMEOUT
from cleaner.run.workers import available_cpus


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
    clean.add_argument("--language", metavar="CODES", type=language_codes, default=None,
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
    clean.add_argument("--jobs", "-j", type=positive_int, default=available_cpus(), metavar="N",
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
    clean.add_argument("--pattern-timeout", type=seconds, default=DEFAULT_PATTERN_TIMEOUT, metavar="SECONDS",
                       help=f"longest a rule's pattern may run on one line (default {DEFAULT_PATTERN_TIMEOUT})")
    clean.add_argument("--timeout", type=seconds_or_zero, default=DEFAULT_DOCUMENT_TIMEOUT, metavar="SECONDS",
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
    clean.add_argument("--min-chars", type=count, default=DEFAULT_MIN_CHARS, metavar="N",
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
    clean.add_argument("--shard-size", type=positive_int, default=None, metavar="N",
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
    learn.add_argument("--jobs", "-j", type=positive_int, default=available_cpus(), metavar="N",
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
    learn.add_argument("--timeout", type=seconds_or_zero, default=DEFAULT_DOCUMENT_TIMEOUT, metavar="SECONDS",
                       help="longest one document may take; it is then left out "
                       f"(default {DEFAULT_DOCUMENT_TIMEOUT:g})")
    learn.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="a progress bar on standard error (default: when it is a terminal)")
    learn.add_argument("--quiet", "-q", action="store_true", help="no summary or progress on standard error")


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
