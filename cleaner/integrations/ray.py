"""Ray Data: clean a dataset of pages on a Ray cluster, one `Cleaner` per actor (`pip install 'cleaner[ray]'`).

`clean_dataset` maps batches through a callable class whose constructor builds the `Cleaner` once per
actor; each input row gives one output row (an error row for a page that fails), with the record's
columns (`records.arrow_schema`). `run_cli` is `cleaner clean --engine ray`: the driver lists the input
files as the local run does, the workers read them (a cluster needs them on storage every node sees) and
clean them, and the shards are written to a folder renamed into place only when the run completes.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from cleaner.api import Cleaner
from cleaner.files import OutputError, check_side_file
from cleaner.learning.rulefile import LearnedRules
from cleaner.pipeline import DEFAULT_MIN_CHARS
from cleaner.result import CleanResult, is_body_warning
from cleaner.ruleset.patterns import DEFAULT_PATTERN_TIMEOUT
from cleaner.run.inputs import EVERY_FILE, FileSelection, InputDocument, iter_documents, page_files, record_document
from cleaner.run.records import arrow_schema, records_table
from cleaner.run.stats import DocumentFacts, RunStats

#: Rows per batch handed to an actor: large enough to amortise the hand-over, small enough to spread.
DEFAULT_BATCH_SIZE = 64


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ImportError("the Ray engine needs Ray Data: pip install 'cleaner[ray]'") from None
    return ray


class CleanBatches:
    """The callable class Ray builds once per actor: it holds the `Cleaner`, and cleans a batch per call."""

    def __init__(self, rules_dirs: Sequence[str] = (), bundled_rules: bool = True,
                 pattern_timeout: float = DEFAULT_PATTERN_TIMEOUT, min_chars: int = DEFAULT_MIN_CHARS,
                 columns: Mapping[str, str] | None = None, timeout: float | None = None, explain: bool = False,
                 learned: LearnedRules | None = None, collector: Any = None, drop_empty: bool = False) -> None:
        self.cleaner = Cleaner(rules_dirs, bundled_rules=bundled_rules, pattern_timeout=pattern_timeout,
                               min_chars=min_chars, learned=learned)
        self.collector = collector  # a `StatsCollector` actor (--stats): each batch's statistics go there
        self.drop_empty = drop_empty
        self.cleaner.warm_up()
        self.columns = dict(columns or {})
        self.timeout = timeout
        self.explain = explain

    def __call__(self, batch: Any) -> Any:
        rows = batch.to_pylist()
        if self.columns:  # a dataset's rows: the page in its text or html column
            items = [self._row_document(row, number) for number, row in enumerate(rows)]
        else:  # rows of `_read_inputs`: a document each, as the local run reads it
            items = [_stored_document(row) for row in rows]
        # An actor's tasks run off its main thread, where no alarm reaches: with a time limit, clean_many holds it
        # from outside (a worker process stopped when a page overruns); without one it cleans here.
        results = list(self.cleaner.clean_many(items, jobs=1, timeout=self.timeout))
        if self.collector is not None:
            _ray().get(self.collector.add.remote(self._statistics(items, results)))  # counted before it is written
        records = [result.to_dict(explain=self.explain) for result in results]
        if self.columns:  # a row without an id keeps none (a batch's positions are not the dataset's)
            id_column = self.columns.get("id", "id")
            for record, row in zip(records, rows, strict=True):
                if row.get(id_column) is None:
                    record["id"] = None
        table = records_table(records, self.explain)
        for key in ("_input", "_position"):
            if rows and key in rows[0]:
                table = table.append_column(key, _pyarrow().array([row[key] for row in rows], _pyarrow().int64()))
        return table

    def _statistics(self, items: Sequence[InputDocument], results: Sequence[CleanResult]) -> RunStats:
        stats = RunStats()
        for item, result in zip(items, results, strict=True):
            short = self.cleaner.body_warning(result) is not None
            stats.add(DocumentFacts.of(result, item.size, short_body=short, dropped=self.drop_empty and short))
        return stats

    def _row_document(self, row: Mapping[str, Any], number: int) -> InputDocument:
        record = {name: row.get(column) for name, column in self.columns.items() if column in row}
        for name in ("text", "html"):
            value = record.get(name)
            if isinstance(value, bytes):
                record[name] = value.decode("utf-8", "replace")
        return record_document(record, fallback=str(number), where=f"row {number} of its batch")


class StatsCollector:
    """The Ray actor a `--stats` run's batches report to; the driver reads the sum when the run is done."""

    def __init__(self) -> None:
        self.stats = RunStats()

    def add(self, stats: RunStats) -> None:
        self.stats.merge(stats)

    def result(self) -> RunStats:
        return self.stats


def _pyarrow() -> Any:
    import pyarrow

    return pyarrow


def clean_dataset(ds: Any, *, rules_dirs: Sequence[str | os.PathLike[str]] = (), bundled_rules: bool = True,
                  text_column: str = "text", html_column: str = "html", url_column: str = "url",
                  id_column: str = "id", title_column: str = "title", batch_size: int = DEFAULT_BATCH_SIZE,
                  concurrency: int | tuple[int, int] | None = None, timeout: float | None = None,
                  explain: bool = False, learned: LearnedRules | str | os.PathLike[str] | None = None) -> Any:
    """A Ray `Dataset` of cleaned records, one row per row of `ds`, from its page columns.

    A row is cleaned from `html_column` when it holds a non-empty string, else from `text_column` (the
    JSONL rule); a row with neither gives an error row. `concurrency` is the most actors (one to start, more
    as the cluster's CPUs allow), or a (min, max) range; each builds its `Cleaner` once. Rule folders are
    checked here, before any task starts, so a bad rule file raises `RuleFileError` at once, and sent to the
    actors as absolute paths. `learned`: rules `Cleaner.learn` returned (a
    first pass over the dataset, or a sample of it), or the folder `cleaner learn` wrote; read here once and
    shipped to every actor.
    """
    if learned is not None and not isinstance(learned, LearnedRules):
        learned = LearnedRules.read(learned)
    folders = [os.path.abspath(d) for d in rules_dirs]  # actors do not run in this process's folder
    Cleaner(folders, bundled_rules=bundled_rules, learned=learned)  # bad rules fail here
    columns = {"text": text_column, "html": html_column, "url": url_column, "id": id_column, "title": title_column}
    return ds.map_batches(
        CleanBatches, batch_format="pyarrow", batch_size=batch_size, compute=_actors(concurrency),
        fn_constructor_kwargs={"rules_dirs": folders, "bundled_rules": bundled_rules,
                               "columns": columns, "timeout": timeout, "explain": explain, "learned": learned})


def _actors(concurrency: int | tuple[int, int] | None) -> Any:
    """The actor pool: one actor, grown up to `concurrency` as the cluster's CPUs allow (a pool that must start 8
    actors first waits forever on a 2-CPU laptop, and one holding every CPU starves the reading tasks), or a
    (min, max) range as given; by default one up to the cluster's CPUs."""
    if isinstance(concurrency, int):
        low, high = 1, max(1, concurrency)
    else:
        low, high = concurrency or (1, _cpus())
    return _ray().data.ActorPoolStrategy(min_size=low, max_size=high)


def _cpus() -> int:
    ray = _ray()
    return max(1, int(ray.cluster_resources().get("CPU", 1))) if ray.is_initialized() else (os.cpu_count() or 1)


# -- cleaner clean --engine ray -------------------------------------------------------------------------------------

def _read_inputs(row: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """One input file (or a folder's file) as documents, read on the worker exactly as the local run reads it:
    `--format text|html` forces every page's format, `--format jsonl` reads the file as JSONL."""
    forced = row.get("format") or "auto"
    for position, item in enumerate(iter_documents([row["path"]], jsonl=forced == "jsonl")):
        if item.skipped is not None:
            continue
        payload = item.payload
        yield {"_input": row["order"], "_position": position, "id": item.id, "url": item.url, "title": item.title,
               "source": row.get("source") or item.source,
               "error": item.error, "format": forced if forced in ("text", "html") else item.format,
               "payload": payload if isinstance(payload, bytes) else None,
               "text": payload if isinstance(payload, str) else None}


def _stored_document(row: Mapping[str, Any]) -> InputDocument:
    payload = row.get("payload") if row.get("payload") is not None else row.get("text")
    return InputDocument(row["id"], payload, url=row.get("url"), title=row.get("title"), error=row.get("error"),
                         format=row.get("format") or "auto", source=row.get("source"))


def _input_files(inputs: Sequence[str], selection: FileSelection = EVERY_FILE) -> list[tuple[str, str]]:
    """The files of the inputs in the local run's order (folders expanded, sorted, the files `selection`
    admits), missing ones kept for their error record; each with the input it belongs to (its group for
    learned rules, as in the local run)."""
    files: list[tuple[str, str]] = []
    for item in inputs:
        path = Path(item)
        if not path.is_dir():
            files.append((item, item))
            continue
        found = [str(p) for p in page_files(path, selection)] or [item]  # none: read whole, for its error
        files += [(file, item) for file in found]
    return files


def run_cli(args: argparse.Namespace, cleaner: Cleaner, output_format: str,
            learned: LearnedRules | None = None) -> int:
    """`cleaner clean --engine ray INPUT... -o OUT_DIR`: shards of records in a folder (exit status as locally).
    `learned`: the rules a first pass learned (`--learn`) or `--learned` named, shipped to every actor."""
    del cleaner  # built by the caller to check the rules before anything starts; the actors build their own
    # Ray Data's notices go to its log file, not the terminal (a user's own config wins)
    os.environ.setdefault("RAY_DATA_LOGGING_CONFIG", str(Path(__file__).with_name("ray_logging.yaml")))
    try:
        ray = _ray()
    except ImportError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    if not args.output or args.output == "-":
        print("cleaner: --engine ray needs -o OUT_DIR, a folder for the shards", file=sys.stderr)
        return 2
    target = Path(args.output)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"cleaner: {target} exists and is not an empty folder; choose another -o", file=sys.stderr)
        return 2
    if "-" in args.inputs:
        print("cleaner: --engine ray reads files and folders, not standard input", file=sys.stderr)
        return 2
    if args.resume:
        print("cleaner: --resume is the local engine's; a Ray run writes its shards folder in one go",
              file=sys.stderr)
        return 2
    if args.stats:
        try:
            check_side_file(args.stats, "--stats", args.inputs)
        except OutputError as exc:
            print(f"cleaner: {exc}", file=sys.stderr)
            return 2
    partial = target.with_name(target.name + ".partial")
    lock = _lock_partial(partial)
    if lock is None:
        print(f"cleaner: another run is writing {partial}: wait for it, or choose another -o", file=sys.stderr)
        return 2
    try:
        with _terminal_for_cleaner_only(args.quiet) as notices:
            code = _run_on_ray(ray, args, target, partial, output_format, learned)
        if notices is not None and not args.quiet:
            print(f"cleaner: Ray's own notices are in {notices}", file=sys.stderr)
        return code
    finally:
        with contextlib.suppress(OSError):
            os.unlink(str(partial) + ".lock")  # while still held: a run that opened it since finds it gone
        lock.close()


@contextlib.contextmanager
def _terminal_for_cleaner_only(quiet: bool) -> Iterator[Path | None]:
    """Ray's processes and its C++ core print notices on this process's standard error (a token-auth note, an
    actor-restart warning, Ray Data's "Progress bars disabled"): while the run lasts, the file descriptor goes
    to a log file, and `sys.stderr` (this run's messages, progress bars) to the terminal. Yields the log's path
    (None where nothing could be redirected)."""
    try:
        sys.stderr.flush()
        terminal = os.dup(2)
    except (OSError, ValueError):  # no real descriptor (an embedding host): leave it
        yield None
        return
    handle, name = tempfile.mkstemp(prefix="cleaner-ray-", suffix=".log")
    saved = sys.stderr
    ray_logger = logging.getLogger("ray")  # its Python notices look up sys.stderr as they print: warnings stay out
    level = ray_logger.level
    try:
        ray_logger.setLevel(logging.ERROR)
        os.dup2(handle, 2)
        sys.stderr = open(terminal, "w", encoding=saved.encoding or "utf-8", errors="backslashreplace",  # noqa: SIM115
                          buffering=1, closefd=False)
        yield Path(name)
    finally:
        ray_logger.setLevel(level)
        sys.stderr.flush()
        sys.stderr = saved
        os.dup2(terminal, 2)
        os.close(terminal)
        os.close(handle)


def _lock_partial(partial: Path) -> IO[bytes] | None:
    """Hold `PARTIAL.lock` for the run (None: another run holds it). The shards folder a stopped Ray run left
    is not resumable: the run that holds the lock replaces it; a run still writing it is never touched."""
    path = str(partial) + ".lock"
    handle = open(path, "ab")  # noqa: SIM115 - held until the run ends
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(path).st_ino != os.fstat(handle.fileno()).st_ino:  # the holder removed it as we opened it
            raise OSError("the lock file was replaced")
    except OSError:
        handle.close()
        return None
    shutil.rmtree(partial, ignore_errors=True)
    return handle


def _run_on_ray(ray: Any, args: argparse.Namespace, target: Path, partial: Path, output_format: str,
                learned: LearnedRules | None = None) -> int:
    """The Ray run proper, with the partial folder locked (see `run_cli`)."""
    started = time.perf_counter()
    if not args.quiet:
        where = f"joining the Ray cluster at {args.ray_address}" if args.ray_address else "starting a local Ray cluster"
        print(f"cleaner: {where} (some seconds)", file=sys.stderr)
    ray.init(address=args.ray_address, ignore_reinit_error=True, log_to_driver=False,
             include_dashboard=False, configure_logging=False)
    collector = ray.remote(StatsCollector).remote() if args.stats else None
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # shards in input order, as the local run writes them
    context.enable_progress_bars = not args.quiet and sys.stderr.isatty()
    files = _input_files(args.inputs, FileSelection(tuple(args.include), tuple(args.exclude)))
    paths = ray.data.from_items([{"path": path, "source": source, "order": order, "format": args.format}
                                 for order, (path, source) in enumerate(files)])
    documents = paths.flat_map(_read_inputs)
    records = documents.map_batches(
        CleanBatches, batch_format="pyarrow", batch_size=DEFAULT_BATCH_SIZE, compute=_actors(None),
        fn_constructor_kwargs={"rules_dirs": [os.path.abspath(d) for d in args.rules],
                               "bundled_rules": not args.no_bundled_rules,
                               "pattern_timeout": args.pattern_timeout, "min_chars": args.min_chars,
                               "timeout": args.timeout or None, "explain": args.explain, "learned": learned,
                               "collector": collector, "drop_empty": args.drop_empty})
    records = records.drop_columns(["_input", "_position"])
    if args.drop_empty:
        records = records.filter(_has_body)
    if output_format == "parquet":
        records.write_parquet(str(partial))
    else:
        records.write_json(str(partial), force_ascii=False)
    if target.exists():
        target.rmdir()
    os.replace(partial, target)
    total, failed = _count(target, output_format)
    if collector is not None:
        stats = ray.get(collector.result.remote())
        stats.seconds = time.perf_counter() - started
        cleaner = Cleaner(list(args.rules), bundled_rules=not args.no_bundled_rules, learned=learned)
        stats.write(args.stats, [rule.id for ruleset in cleaner.rulesets for rule in ruleset.rules])
    if not args.quiet:
        shards = sum(1 for _ in target.iterdir())
        print(f"cleaner: {total} record(s), {failed} failed, from {len(files)} input file(s), cleaned on Ray into "
              f"{shards} {output_format} shard(s) in {target} ({time.perf_counter() - started:.1f} s)",
              file=sys.stderr)
    return 1 if failed else 0


def _has_body(row: Mapping[str, Any]) -> bool:
    """`--drop-empty`: a record without a body, or a short one, stays out (error records stay)."""
    return row["error"] is not None or not any(
        is_body_warning(w) for w in row["warnings"] or ())


def _count(folder: Path, output_format: str) -> tuple[int, int]:
    """Records and failed records in the written shards (read back: the run's own figures)."""
    import json

    total = failed = 0
    for shard in sorted(folder.iterdir()):
        if output_format == "parquet":
            import pyarrow.parquet as pq

            errors = pq.read_table(shard, columns=["error"]).column("error").to_pylist()
            total, failed = total + len(errors), failed + sum(e is not None for e in errors)
        else:
            with shard.open(encoding="utf-8") as handle:
                for line in handle:
                    total += 1
                    failed += json.loads(line).get("error") is not None
    return total, failed


__all__ = ["CleanBatches", "arrow_schema", "clean_dataset", "run_cli"]
