"""Sharded output (`--shard-size N`): a folder of files of N records each, JSONL (gzipped or zstd too) or Parquet.

Each shard goes through the same locked partial file as a whole output (`part-00003.jsonl.partial`) and is
renamed to its name when it holds its N records: the folder holds complete shards, and at most one partial
file while the run lasts. `--resume` keeps the complete shards, skips the documents they hold, and writes the
rest from the next shard on (the partial one is written again); so a Parquet run, written a shard at a time,
is resumable too. A lock file in the folder keeps two runs with the same `-o` from writing it together.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import regex

from cleaner.files import OutputError
from cleaner.run.output import Sink, codec_for, framed_ids, open_parquet_sink, open_sink

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: How shards are named: their number (five digits, in order), then the format's suffix.
SHARD_NAME = "part-{number:05d}{suffix}"
_SHARD = regex.compile(r"part-(\d{5,})(\.jsonl(?:\.gz|\.zst)?|\.parquet)(\.partial)?")
LOCK_NAME = ".cleaner.lock"


def shard_suffix(output: str, output_format: str) -> str:
    """The shards' suffix: `.parquet` for Parquet; else JSONL, gzipped or zstd when -o's name ends so."""
    if output_format == "parquet":
        return ".parquet"
    name = output.rstrip("/").lower()
    return ".jsonl.gz" if name.endswith(".gz") else ".jsonl.zst" if name.endswith(".zst") else ".jsonl"


def _numbered(folder: Path, suffix: str) -> tuple[list[Path], list[Path]]:
    """The folder's complete shards (in order) and partial ones, of this suffix."""
    complete: list[Path] = []
    partial: list[Path] = []
    for path in folder.iterdir():
        found = _SHARD.fullmatch(path.name)
        if found is None or found.group(2) != suffix:
            continue
        (partial if found.group(3) else complete).append(path)
    return sorted(complete, key=lambda p: int(_SHARD.fullmatch(p.name).group(1))), partial  # type: ignore[union-attr]


def _ids(path: Path) -> Iterator[str]:
    """The record ids of a complete shard, in order."""
    if path.name.endswith(".parquet"):
        import pyarrow.parquet as pq

        for value in pq.read_table(path, columns=["id"]).column("id").to_pylist():
            yield "" if value is None else str(value)
        return
    if path.name.endswith((".gz", ".zst")):
        codec = codec_for(path.name)
        assert codec is not None
        with path.open("rb") as raw:
            yield from framed_ids(raw.fileno(), os.fstat(raw.fileno()).st_size, codec)
        return
    with path.open("rb") as raw:
        for line in raw:
            if line.strip():
                value = json.loads(line).get("id")
                yield "" if value is None else str(value)


@dataclass
class ShardedSink(Sink):
    """Records into shards of `size` records, each a sink of its own, renamed when complete."""

    folder: Path = Path()
    suffix: str = ".jsonl"
    size: int = 1
    explain: bool = False
    number: int = 0  # the shard being written (or the next one)
    in_shard: int = 0
    current: Sink | None = None
    lock: IO[bytes] | None = None
    shards: list[Path] = field(default_factory=list)  # the complete shards, the earlier run's first

    def write(self, line: str) -> None:
        if self.current is None:
            path = self.folder / SHARD_NAME.format(number=self.number, suffix=self.suffix)
            self.current = (open_parquet_sink(str(path), resume=False, explain=self.explain, overwrite=True)
                            if self.suffix == ".parquet" else open_sink(str(path), resume=False, overwrite=True))
        self.current.write(line)
        self.safe += 1
        self.in_shard += 1
        if self.in_shard >= self.size:
            self._complete()

    def _complete(self) -> None:
        assert self.current is not None and self.current.target is not None
        self.current.finish()
        self.current.close()
        self.shards.append(self.current.target)
        self.current, self.in_shard = None, 0
        self.number += 1

    def finish(self) -> None:
        """The run completed: the last shard, however short, is renamed too."""
        if self.current is not None:
            self._complete()

    def close(self) -> None:
        """Close the shard being written (its partial file is written again by --resume) and the lock."""
        if self.current is not None:
            self.current.close()
            self.current = None
        if self.lock is not None:
            with contextlib.suppress(OSError):
                self.lock.close()
            self.lock = None


def open_sharded_sink(output: str | None, output_format: str, size: int, *, resume: bool, overwrite: bool = False,
                      explain: bool = False) -> ShardedSink:
    """The sink for `-o FOLDER --shard-size N`; raises `OutputError` for exit 2."""
    if output is None or output == "-":
        raise OutputError("--shard-size writes a folder of shards: give it with -o FOLDER")
    if size < 1:
        raise OutputError(f"--shard-size must be 1 or more, not {size}")
    folder = Path(os.path.realpath(output))
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"-o {output} is a file: with --shard-size, -o names a folder of shards")
    if not folder.parent.is_dir():
        raise OutputError(f"cannot write {output}: the folder {folder.parent} does not exist")
    folder.mkdir(exist_ok=True)
    lock = _lock(folder)
    suffix = shard_suffix(output, output_format)
    complete, partial = _numbered(folder, suffix)
    if (complete or partial) and not resume and not overwrite:
        lock.close()
        raise OutputError(f"{output} holds {len(complete)} shard(s) of an earlier run: --resume continues it, "
                          "--overwrite starts over (and removes them)")
    if overwrite and not resume:
        for path in complete + partial:
            path.unlink()
        complete = []
    for path in partial:  # a shard cut short by a stop: its records are cleaned again
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    numbers = [int(_SHARD.fullmatch(p.name).group(1)) for p in complete]  # type: ignore[union-attr]
    if numbers != list(range(len(numbers))):
        lock.close()
        raise OutputError(f"{output}: its shards are not numbered from 0 without a gap; start over with "
                          "--overwrite")
    try:
        count = sum(1 for path in complete for _ in _ids(path))
    except (OSError, ValueError) as exc:
        lock.close()
        raise OutputError(f"{output}: a complete shard cannot be read ({exc}); start over with --overwrite") from None
    kept = (record_id for path in complete for record_id in _ids(path))
    return ShardedSink(output, io.StringIO(), partial=folder, target=folder, kept=kept, safe=count,
                       folder=folder, suffix=suffix, size=size, explain=explain, number=len(complete), lock=lock,
                       shards=list(complete))


def _lock(folder: Path) -> IO[bytes]:
    """Hold the folder's lock file for the run; a second run with the same -o is refused."""
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    handle = open(fd, "a+b")  # noqa: SIM115 - held until the run ends
    if fcntl is not None:
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise OutputError(f"another cleaner run is writing {folder}; wait for it or choose another -o") from None
    return handle
