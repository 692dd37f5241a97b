"""A cache of one-time work (compiled rules, the unpacked language model) in the user's cache folder.

Every entry is keyed by the content it was made from, so a changed rule file or a new version of the
code never meets a stale entry; deleting the folder is always safe. `CLEANER_CACHE_DIR` moves it;
`CLEANER_CACHE_DIR=off` turns it off. A cache that cannot be read or written (a read-only home, a full
disk, a damaged file) is the same as no cache: the work is done again, nothing fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

#: Entries unused for this many days are removed when a new entry is written.
MAX_AGE_DAYS = 30


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    setting = os.environ.get("CLEANER_CACHE_DIR")
    if setting is not None:
        return None if setting.strip().lower() in ("", "off", "0", "none") else Path(setting)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cleaner", appauthor=False))


def content_key(parts: Iterable[bytes | str]) -> str:
    """A hash of everything an entry depends on."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def entry(name: str) -> Path | None:
    """Where the entry `name` lives, when caching is on."""
    folder = cache_dir()
    return None if folder is None else folder / name


def read(name: str) -> bytes | None:
    """The entry's bytes, or None when it is missing or unreadable."""
    path = entry(name)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: not pruned
    return data


def write(name: str, data: bytes) -> None:
    """Store an entry whole or not at all (written beside it, then renamed); failures are ignored."""
    path = entry(name)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=name + ".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
    _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Remove entries unused for `MAX_AGE_DAYS` (old rule sets, old models)."""
    import time

    oldest = time.time() - MAX_AGE_DAYS * 86400
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path != keep and path.is_file() and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
