"""A cache of one-time work (compiled rules, the unpacked language model) in the user's cache folder.

Every entry is keyed by the content it was made from, so a changed rule file or a new version of the
code never meets a stale entry; deleting the folder is always safe. `CLEANER_CACHE_DIR` moves it;
`CLEANER_CACHE_DIR=off` turns it off. A cache that cannot be read or written (a read-only home, a full
disk, a damaged file) is the same as no cache: the work is done again, nothing fails.

Entry names are predictable, and the cache folder may be shared (`CLEANER_CACHE_DIR=/tmp/team`), so what is
read back is never trusted on sight: every entry carries an HMAC made with a per-user key kept outside the
cache folder (`key_path()`), and an entry whose HMAC does not match is no entry, so a planted pickle is
never loaded. A folder or an entry that is a symlink, is not the user's, or that others may write is
refused (one warning), and pruning touches only files named as this module names its entries.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

#: Entries unused for this many days are removed when a new entry is written.
MAX_AGE_DAYS = 30
#: What every entry starts with, then its HMAC (32 bytes), then its data.
_MAGIC = b"cleaner-cache-1\n"
_MAC_SIZE = 32
#: The names this module gives entries (and their temporary files): the only files pruning removes.
ENTRY_NAME = re.compile(r"(?:rules|probes|langid)-[0-9a-f]{32}\.(?:pickle|txt|npz)")
#: What the file of an entry is called: the entry's name and `.signed` (a version that stored entries unsigned
#: under the bare name never reads a signed one as its own), or that and a temporary file's suffix.
_FILE_NAME = re.compile(ENTRY_NAME.pattern + r"(?:\.signed)?(?:\.[A-Za-z0-9_]+\.tmp)?")
_SUFFIX = ".signed"


class CacheWarning(UserWarning):
    """The cache folder or its key is unsafe to use: the run goes on without the cache."""


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    setting = os.environ.get("CLEANER_CACHE_DIR")
    if setting is not None:
        return None if setting.strip().lower() in ("", "off", "0", "none") else Path(setting)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cleaner", appauthor=False))


def key_path() -> Path:
    """The per-user key that signs entries: in the user's config folder, never in the cache folder."""
    setting = os.environ.get("CLEANER_CACHE_KEY")
    if setting:
        return Path(setting)
    from platformdirs import user_config_dir

    return Path(user_config_dir("cleaner", appauthor=False)) / "cache.key"


def content_key(parts: Iterable[bytes | str]) -> str:
    """A hash of everything an entry depends on."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _warn_once(problem: str) -> None:
    if problem not in _warned:
        _warned.add(problem)
        warnings.warn(f"cleaner: cache not used: {problem}", CacheWarning, stacklevel=3)


_warned: set[str] = set()


def _unsafe(info: os.stat_result, *, folder: bool) -> str | None:
    """Why a file or folder with this `lstat` is not safe to trust (None: it is)."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if folder and not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if not folder and not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by group or others"
    return None


def _safe_folder() -> Path | None:
    """The cache folder when it is on and safe to use (made, private, when missing), else None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        if not os.path.lexists(folder):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = _unsafe(os.lstat(folder), folder=True)
    except OSError:
        return None
    if problem is not None:
        _warn_once(f"the folder {folder} {problem}")
        return None
    return folder


def _key() -> bytes | None:
    """The user's signing key, made on first use (mode 0600); None when it cannot be had safely."""
    path = key_path()
    with contextlib.suppress(OSError):
        if not os.path.lexists(path):
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as source:
            info = os.fstat(source.fileno())
            problem = _unsafe(info, folder=False)
            if problem is None and info.st_mode & stat.S_IRWXO:
                problem = "is readable by others"
            key = source.read(64)
        if problem is not None:
            _warn_once(f"the key {path} {problem}")
            return None
        return key if len(key) >= 32 else None
    return None


def _mac(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()


def read(name: str) -> bytes | None:
    """The entry's data, or None when it is missing, unreadable, unsafe or not signed with the user's key."""
    folder = _safe_folder()
    key = _key() if folder is not None else None
    if folder is None or key is None:
        return None
    path = folder / (name + _SUFFIX)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _warn_once(f"the entry {path} is a symlink")
        return None
    with os.fdopen(fd, "rb") as source:
        try:
            problem = _unsafe(os.fstat(source.fileno()), folder=False)
            stored = source.read() if problem is None else b""
        except OSError:
            return None
    if problem is not None:
        _warn_once(f"the entry {path} {problem}")
        return None
    head, mac, data = stored[: len(_MAGIC)], stored[len(_MAGIC): len(_MAGIC) + _MAC_SIZE], stored[
        len(_MAGIC) + _MAC_SIZE:]
    if head != _MAGIC or not hmac.compare_digest(mac, _mac(key, name, data)):
        return None  # damaged, foreign or planted: the work is done again and the entry replaced
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: not pruned
    return data


def write(name: str, data: bytes) -> None:
    """Store an entry, signed, whole or not at all (written beside it, then renamed); failures are ignored."""
    if not ENTRY_NAME.fullmatch(name):
        raise ValueError(f"not a cache entry name: {name!r}")
    folder = _safe_folder()
    key = _key() if folder is not None else None
    if folder is None or key is None:
        return
    path = folder / (name + _SUFFIX)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + _mac(key, name, data) + data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
    _prune(folder, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Remove this cache's own entries unused for `MAX_AGE_DAYS` (old rule sets, old models); nothing else."""
    oldest = time.time() - MAX_AGE_DAYS * 86400
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path == keep or not _FILE_NAME.fullmatch(path.name):
                continue
            info = path.lstat()
            if _unsafe(info, folder=False) is None and info.st_mtime < oldest:
                path.unlink(missing_ok=True)
