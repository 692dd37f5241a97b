"""Where a run's records go, safely: `OUT.partial` renamed onto `OUT` only when the run completes.

A regular file (or a new path; a symlink is followed to its target) is written through its partial
file, locked so that a second run with the same `-o` is refused instead of interleaving records. A
device, a FIFO or `/dev/stdout` is written in place: renaming a file over `/dev/null` would replace the
device. `--resume` appends to the partial file after cutting off only a record cut mid-write, and
reads the ids already written lazily, so neither memory nor the records already safe are at risk.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import json
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cleaner.files import (
    OutputError,
    is_special,
    partial_path,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the rest holds
    fcntl = None  # type: ignore[assignment]


def _is_record(line: bytes) -> bool:
    """A line a run wrote whole: it parses as JSON (a record cut mid-write does not)."""
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _record_id(line: bytes) -> str:
    """The id of a record line already checked whole."""
    record = json.loads(line)
    return str(record.get("id")) if isinstance(record, dict) else ""


def _complete_end(handle: IO[bytes]) -> tuple[int, int]:
    """Byte offset after the last complete record of a partial file, and how many records lie before it."""
    end = count = 0
    for line in handle:
        if not line.endswith(b"\n") or not _is_record(line):
            break
        end += len(line)
        count += 1
    return end, count


def _ids(raw: IO[bytes], end: int) -> Iterator[str]:
    """The ids of the records in the first `end` bytes of the locked file, read a chunk at a time.

    Read with `os.pread` on the locked descriptor itself: closing any other descriptor of the file would
    release the (POSIX) lock.
    """
    fd, position, rest = raw.fileno(), 0, b""
    while position < end:
        chunk = os.pread(fd, min(1 << 20, end - position), position)
        if not chunk:
            return
        position += len(chunk)
        *lines, rest = (rest + chunk).split(b"\n")
        yield from map(_record_id, lines)


@dataclass
class Sink:
    """An open output: `write` a record line; `finish` makes it the output; `kept` = ids written before."""

    name: str  # what the summary and messages call it
    handle: IO[str]
    partial: Path | None = None  # None: written in place (standard output, a device, a FIFO)
    target: Path | None = None
    kept: Iterator[str] = field(default_factory=lambda: iter(()))
    safe: int = 0  # complete records in the output so far
    raw: IO[bytes] | None = None  # the locked partial file under `handle`

    def write(self, line: str) -> None:
        self.handle.write(line)
        self.handle.flush()
        self.safe += 1

    def finish(self) -> None:
        """The run completed: the partial file becomes the output."""
        self.handle.flush()
        if self.partial is not None and self.target is not None:
            os.replace(self.partial, self.target)

    def close(self) -> None:
        """Close the output (standard output stays open) and release the lock."""
        with contextlib.suppress(OSError):  # a full disk: what could not be flushed is cut off on --resume
            if self.handle is not sys.stdout:
                self.handle.close()
        if self.raw is not None:
            with contextlib.suppress(OSError):
                self.raw.close()


def _text(raw: IO[bytes]) -> IO[str]:
    # backslashreplace: a lone surrogate that got this far is written as a JSON escape, never a crash
    return open(raw.fileno(), "w", encoding="utf-8", errors="backslashreplace", closefd=False)


def _locked_partial(output: str, *, resume: bool, overwrite: bool = False) -> tuple[Path, Path, IO[bytes]]:
    """The target of `-o output`, its partial file, and that file open and locked (not yet truncated).

    The partial file is opened without following a symlink (one planted there would have its target
    filled with records), and an earlier run's partial file is never thrown away unless `overwrite`.
    """
    target = Path(os.path.realpath(output))
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {output}: the folder {target.parent} does not exist")
    if target.is_dir():
        raise OutputError(f"cannot write {output}: it is a folder")
    partial = partial_path(target)
    if resume and not os.path.lexists(partial) and target.exists():
        os.replace(target, partial)  # a finished run: appended to, and renamed back when this one completes
    try:
        fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"{partial} is a symlink; remove it (the run writes its records there)") from None
        raise OutputError(f"cannot write {partial}: {exc.strerror or exc}") from None
    raw = open(fd, "a+b")  # noqa: SIM115 - not truncated before the lock is held
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raw.close()
        raise OutputError(f"{partial} is not a regular file; remove it (the run writes its records there)")
    if fcntl is not None:
        try:  # a POSIX lock: held by this process only, so forked workers do not keep it after a kill
            fcntl.lockf(raw.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raw.close()
            raise OutputError(f"another cleaner run is writing {partial}; wait for it or choose another -o") from None
    if not resume and not overwrite and info.st_size > 0:
        raw.close()
        raise OutputError(f"{partial} holds the records of an earlier run that did not complete: --resume "
                          f"continues it, --overwrite starts over (and discards them)")
    return target, partial, raw


def open_sink(output: str | None, *, resume: bool, overwrite: bool = False) -> Sink:
    """The sink for `-o output` (None or "-": standard output); raises `OutputError` for exit 2.

    `-o OUT.jsonl.gz` (or `.zst`) is written compressed, in members of whole records: resumable as plain JSONL.
    """
    if output is None or output == "-":
        if resume:
            raise OutputError("--resume needs -o OUT.jsonl (the output to continue)")
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        return Sink("standard output", sys.stdout)
    if is_special(output):
        if resume:
            raise OutputError(f"--resume needs a regular file to continue; {output} is written in place")
        try:
            handle = open(output, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        except OSError as exc:
            raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
        return Sink(output, handle)
    codec = codec_for(output)  # before the partial file is opened: a missing compressor is a usage error
    target, partial, raw = _locked_partial(output, resume=resume, overwrite=overwrite)
    raw.seek(0)
    if not resume:
        end, count = 0, 0
    elif codec is not None:
        end, count = _framed_complete_end(raw.fileno(), codec)
    else:
        end, count = _complete_end(raw)
    raw.truncate(end)  # only a record cut mid-write goes (all of it without --resume)
    raw.seek(end)
    if codec is not None:
        kept = framed_ids(raw.fileno(), end, codec) if count else iter(())
        return FramedSink(output, _text(raw), partial, target, kept, count, raw, codec=codec)
    kept = _ids(raw, end) if count else iter(())
    return Sink(output, _text(raw), partial, target, kept, count, raw)


@dataclass(frozen=True)
class Codec:
    """A compression whose output is a run of independent members (gzip) or frames (zstd): `compress` makes one
    whole, `decoder` reads one and says where it ended (`eof`, `unused_data`), so a file cut mid-member still
    has every member before the cut."""

    name: str
    compress: Callable[[bytes], bytes]
    decoder: Callable[[], Any]


def codec_for(output: str) -> Codec | None:
    """The codec `-o`'s suffix asks for: `.gz` gzip, `.zst` zstd (needs the zstandard package); else None."""
    name = output.lower()
    if name.endswith(".gz"):
        return Codec("gzip", lambda data: gzip.compress(data, mtime=0), lambda: zlib.decompressobj(wbits=31))
    if name.endswith(".zst"):
        try:
            import zstandard
        except ImportError:
            raise OutputError(f"-o {output}: writing .zst needs the zstandard package (pip install zstandard); "
                              "or write .jsonl.gz") from None
        compressor = zstandard.ZstdCompressor()
        return Codec("zstd", compressor.compress, lambda: zstandard.ZstdDecompressor().decompressobj())
    return None


def _members(fd: int, codec: Codec, end: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(offset after the member, its data) for each complete member from the file's start, up to `end`."""
    position = 0
    pending = b""
    decoder = codec.decoder()
    data: list[bytes] = []
    while True:
        if not pending:
            want = 1 << 20 if end is None else min(1 << 20, end - position)
            pending = os.pread(fd, want, position) if want > 0 else b""
            if not pending:
                return
            position += len(pending)
        try:
            data.append(decoder.decompress(pending))
        except Exception:  # zlib.error, zstandard.ZstdError: damaged from here on, the members before stand
            return
        if not decoder.eof:
            pending = b""
            continue
        rest = decoder.unused_data
        yield position - len(rest), b"".join(data)
        decoder, data, pending = codec.decoder(), [], rest


def _framed_complete_end(fd: int, codec: Codec) -> tuple[int, int]:
    """Like `_complete_end`, for a compressed file: the end of its last complete member of whole records."""
    end = count = 0
    for member_end, data in _members(fd, codec):
        *lines, rest = data.split(b"\n")
        if rest or not all(map(_is_record, lines)):
            break
        end, count = member_end, count + len(lines)
    return end, count


def framed_ids(fd: int, end: int, codec: Codec) -> Iterator[str]:
    for _, data in _members(fd, codec, end):
        yield from map(_record_id, data.split(b"\n")[:-1])


#: A compressed output's records are written as one member (frame) per this many records (or
#: `MEMBER_SECONDS`): a member is whole or not there, so a killed run loses at most one member's records, which
#: --resume redoes.
MEMBER_RECORDS = 256
MEMBER_SECONDS = 2.0


@dataclass
class FramedSink(Sink):
    """Records compressed (gzip or zstd), a member of whole records at a time, through the same partial file."""

    codec: Codec | None = None
    pending: list[bytes] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def write(self, line: str) -> None:
        self.pending.append(line.encode("utf-8", "backslashreplace"))
        if len(self.pending) >= MEMBER_RECORDS or time.monotonic() - self.since > MEMBER_SECONDS:
            self._member()

    def _member(self) -> None:
        """Write the pending records as one member (gzip with mtime 0: the same records give the same bytes)."""
        if self.pending and self.raw is not None and self.codec is not None:
            self.raw.write(self.codec.compress(b"".join(self.pending)))
            self.raw.flush()
            self.safe += len(self.pending)
        self.pending = []
        self.since = time.monotonic()

    def finish(self) -> None:
        self._member()
        super().finish()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._member()  # a stopped run: its complete records are kept
        super().close()


#: Records per Parquet row group: written as the run goes, so memory stays flat however long the run.
PARQUET_ROW_GROUP = 1_000


@dataclass
class ParquetSink(Sink):
    """Records as a Parquet file (pyarrow), through the same locked partial file and rename."""

    explain: bool = False
    buffered: list[dict[str, object]] = field(default_factory=list)
    writer: object = None

    def write(self, line: str) -> None:
        self.buffered.append(json.loads(line))
        self.safe += 1
        if len(self.buffered) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        from cleaner.run.records import arrow_schema, records_table

        if self.writer is None:
            import pyarrow.parquet as pq

            assert self.partial is not None
            self.writer = pq.ParquetWriter(str(self.partial), arrow_schema(self.explain), compression="zstd")
        if self.buffered:
            self.writer.write_table(records_table(self.buffered, self.explain))  # type: ignore[attr-defined]
            self.buffered = []

    def finish(self) -> None:
        self._flush()
        self.writer.close()  # type: ignore[attr-defined]
        self.writer = None
        super().finish()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()  # type: ignore[attr-defined]  # a stopped run: the partial file is readable
        super().close()


def open_parquet_sink(output: str | None, *, resume: bool, explain: bool = False, overwrite: bool = False
                      ) -> ParquetSink:
    """The sink for `-o OUT.parquet --output-format parquet`; raises `OutputError` for exit 2."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise OutputError("--output-format parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
    if output is None or output == "-" or is_special(output):
        raise OutputError("--output-format parquet needs -o OUT.parquet, a regular file (Parquet is not a stream)")
    if resume:
        raise OutputError("--resume continues JSONL output only; a Parquet file is written in one run")
    target, partial, raw = _locked_partial(output, resume=False, overwrite=overwrite)
    raw.truncate(0)
    return ParquetSink(output, _text(raw), partial, target, raw=raw, explain=explain)
