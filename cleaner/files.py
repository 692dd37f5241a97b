"""Files the package writes beside its work (statistics, reports, learned rule files, schemas) and the checks every
output path gets: written whole or not at all, never over an input, a device or a FIFO written in place.

The floor under the run's sinks (`cleaner.run.output`) and the learned rule files (`cleaner.learning.rulefile`).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """`-o` cannot be used as asked (exit 2, nothing is cleaned)."""


def partial_path(path: str | Path) -> Path:
    """Where a run writes until it completes: `OUT.jsonl.partial` beside `OUT.jsonl`."""
    target = Path(path)
    return target.with_name(target.name + ".partial")


def is_special(path: str) -> bool:
    """A device, a FIFO, a socket, or a name under /dev or /proc: written in place, never replaced."""
    if os.path.realpath(path).startswith(("/dev/", "/proc/")) or path.startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def own_files(output: str | None) -> frozenset[Path]:
    """The files a run with `-o output` writes (resolved): a folder run must not read them back."""
    if output is None or output == "-" or is_special(output):
        return frozenset()
    target = Path(os.path.realpath(output))
    return frozenset({target, partial_path(target), target.with_name(target.name + ".run")})


def check_not_an_input(output: str, own: frozenset[Path], inputs: Iterable[str]) -> None:
    """Refuse an output (`own`: its `own_files`) that is one of the input files: the run would replace what it
    reads. An output inside an input folder is fine: the folder walk leaves the run's own files out."""
    for item in inputs:
        if item != "-" and Path(os.path.realpath(item)) in own:
            raise OutputError(f"-o {output} is also an input: the run would replace what it reads")


def check_side_file(path: str, option: str, inputs: Iterable[str] = (), own: frozenset[Path] = frozenset()) -> None:
    """Refuse, before any work, a file a command writes beside its output (`--stats`, `--html`, `-o` of a
    schema) that would replace an input or the run's own output, sits in a missing folder, or is a folder.
    A device or a FIFO is fine: `write_side_file` writes it in place."""
    if path == "-" or is_special(path):
        return
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise OutputError(f"{option} {path}: it is a folder")
    if not target.parent.is_dir():
        raise OutputError(f"{option} {path}: the folder {target.parent} does not exist")
    if target in own:
        raise OutputError(f"{option} {path} is the run's own output")
    for item in inputs:
        if item != "-" and Path(os.path.realpath(item)) == target:
            raise OutputError(f"{option} {path} is also an input: it would replace what the run reads")


def new_file_mode() -> int:
    """The mode a new file gets under this process's umask (a temporary file renamed into place is 0600 else)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_side_file(path: str, text: str) -> None:
    """Write a whole file (mode as the umask says): a device or a FIFO in place, a regular file (or a
    symlink's target) through a temporary file renamed over it, so it is never half-written."""
    if is_special(path):
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        return
    target = Path(os.path.realpath(path))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, new_file_mode())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
