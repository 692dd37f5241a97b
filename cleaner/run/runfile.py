"""The run file beside an output (`OUT.jsonl.run`): what defines the run, and its statistics so far.

A resumed run must continue the same run, or it mixes or duplicates records: the run file records the
inputs as given with a fingerprint of each (a file's size and its first and last bytes; the names and
sizes of a folder's files), the rules' content and every option that shapes records,
and `--resume` is refused when any of them differs, saying which (a file that only grew, documents appended to
it, continues). It also keeps each written document's
statistics, a line each, in step with the records (written before the record, so a kill never leaves a
record without them), so `--stats` after `--resume` describes every record of the finished output. When
the run completes the lines are added up into one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cleaner.files import new_file_mode
from cleaner.run.stats import DocumentFacts, RunStats

#: Bytes of a file's start that go into its fingerprint (with its size and modification time).
FINGERPRINT_BYTES = 65_536
_VERSION = 1


def run_file_path(output: str | Path) -> Path:
    """The run file of `-o OUT`: `OUT.run`, beside the output (resolved, as the output is)."""
    target = Path(os.path.realpath(output))
    return target.with_name(target.name + ".run")


def _hash_range(path: Path, start: int, end: int) -> str:
    with path.open("rb") as handle:
        handle.seek(start)
        return hashlib.sha256(handle.read(max(end - start, 0))).hexdigest()[:16]


def _file_fingerprint(path: Path) -> list[Any]:
    """Size, the first bytes and the bytes before the end: enough to tell another file, or an appended one."""
    size = path.stat().st_size
    return ["file", size, _hash_range(path, 0, min(size, FINGERPRINT_BYTES)),
            _hash_range(path, max(size - FINGERPRINT_BYTES, 0), size)]


def fingerprint(item: str, exclude: Iterable[Path] = ()) -> list[Any]:
    """What identifies an input's content cheaply: stdin has none; a folder is its files' names and sizes."""
    if item == "-":
        return ["stdin"]
    path = Path(item)
    try:
        if path.is_dir():
            skip = set(exclude)
            digest = hashlib.sha256()
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if Path(os.path.realpath(file)) in skip:
                    continue
                digest.update(f"{file.relative_to(path)}\0{file.stat().st_size}\n".encode(
                    "utf-8", "surrogateescape"))
            return ["folder", digest.hexdigest()[:16]]
        return _file_fingerprint(path)
    except OSError as exc:
        return ["unreadable", exc.strerror or str(exc)]


def _grew(item: str, then: list[Any]) -> bool:
    """The file `item` is the one fingerprinted `then` with documents appended (the records kept still stand)."""
    if then[:1] != ["file"] or len(then) != 4:
        return False
    path, size = Path(item), int(then[1])
    try:
        return (path.stat().st_size > size and _hash_range(path, 0, min(size, FINGERPRINT_BYTES)) == then[2]
                and _hash_range(path, max(size - FINGERPRINT_BYTES, 0), size) == then[3])
    except OSError:
        return False


def rules_key(folders: Sequence[Path]) -> str:
    """A hash of every rule file's name and bytes in these folders (the bundled ones included by the caller)."""
    from cleaner.ruleset.yaml_lines import rule_files

    digest = hashlib.sha256()
    for folder in folders:
        digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
        with contextlib.suppress(OSError):
            for path in rule_files(folder):
                digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class RunDefinition:
    """What a run's records depend on: a resume must match it field by field."""

    inputs: tuple[str, ...]
    fingerprints: tuple[str, ...]  # one JSON text per input
    rules: str
    options: tuple[tuple[str, str], ...]  # (option, value as JSON), sorted

    @classmethod
    def of(cls, inputs: Sequence[str], rules: str, options: Mapping[str, object],
           exclude: Iterable[Path] = ()) -> RunDefinition:
        own = tuple(exclude)
        return cls(tuple(inputs), tuple(json.dumps(fingerprint(i, own)) for i in inputs), rules,
                   tuple(sorted((k, json.dumps(v)) for k, v in options.items())))

    def to_json(self) -> dict[str, Any]:
        return {"inputs": list(self.inputs), "fingerprints": [json.loads(f) for f in self.fingerprints],
                "rules": self.rules, "options": {k: json.loads(v) for k, v in self.options}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunDefinition:
        return cls(tuple(str(i) for i in data["inputs"]), tuple(json.dumps(f) for f in data["fingerprints"]),
                   str(data["rules"]), tuple(sorted((str(k), json.dumps(v)) for k, v in data["options"].items())))

    def differences(self, other: RunDefinition) -> list[str]:
        """What differs from the run `other` (empty: the same run)."""
        found: list[str] = []
        if self.inputs != other.inputs:
            found.append(f"the inputs ({' '.join(other.inputs)} then, {' '.join(self.inputs)} now)")
        else:
            for item, then, now in zip(self.inputs, other.fingerprints, self.fingerprints, strict=False):
                if then != now and not _grew(item, json.loads(then)):
                    found.append(f"the input {item} changed since (its size or its bytes; only appending is allowed)")
        if self.rules != other.rules:
            found.append("the rules (other --rules folders, or their files changed)")
        mine, theirs = dict(self.options), dict(other.options)
        for name in sorted(set(mine) | set(theirs)):
            if mine.get(name) != theirs.get(name):
                found.append(f"{name} ({theirs.get(name, 'unset')} then, {mine.get(name, 'unset')} now)")
        return found


class RunFileError(Exception):
    """The run file refuses this resume (exit 2): it describes another run, or cannot be read."""


def _facts_json(facts: DocumentFacts) -> dict[str, Any]:
    return dataclasses.asdict(facts)


def _facts(data: Mapping[str, Any]) -> DocumentFacts:
    return DocumentFacts(
        id=data["id"], site=data["site"], language=data["language"], input_chars=int(data["input_chars"]),
        output_chars=int(data["output_chars"]), error_kind=data["error_kind"], short_body=bool(data["short_body"]),
        dropped=bool(data["dropped"]), removed=tuple((str(r), int(n), int(c)) for r, n, c in data["removed"]),
        timings=tuple((str(s), float(t)) for s, t in data["timings"]),
        warnings=tuple(str(w) for w in data["warnings"]),
    )


def _open_new(path: Path) -> IO[str]:
    """`path` created anew for writing, never through a symlink planted there."""
    if os.path.lexists(path):
        if path.is_symlink() or not path.is_file():
            raise RunFileError(f"{path} is not a regular file; remove it or choose another -o")
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return open(fd, "w", encoding="utf-8")


class RunLog:
    """The open run file: `record(facts, written)` before each document's record is written."""

    def __init__(self, path: Path, definition: RunDefinition, restored: RunStats | None = None) -> None:
        self.path = path
        self.definition = definition
        self.restored = restored or RunStats()  # what the kept records' documents added, before this run
        self._handle: IO[str] | None = None

    @classmethod
    def start(cls, path: Path, definition: RunDefinition) -> RunLog:
        """A new run: the run file written anew, with the definition."""
        log = cls(path, definition)
        log._handle = _open_new(path)
        log._line({"cleaner_run": _VERSION, "definition": definition.to_json()})
        return log

    @classmethod
    def resume(cls, path: Path, definition: RunDefinition, records: int) -> RunLog:
        """Continue the run that wrote `records` complete records; refused if it was another run."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise RunFileError(f"cannot resume: {path} (what defines the run) cannot be read "
                               f"({exc.strerror or exc}); start over with --overwrite") from None
        restored = RunStats()
        written = 0
        with open(fd, encoding="utf-8") as handle:
            try:
                head = json.loads(handle.readline())
                earlier = RunDefinition.from_json(head["definition"])
            except (ValueError, KeyError, TypeError):
                raise RunFileError(f"cannot resume: {path} is damaged; start over with --overwrite") from None
            differs = definition.differences(earlier)
            if differs:
                raise RunFileError("cannot resume: this is not the run that wrote the output; it differs in "
                                   + "; ".join(differs) + ". Run it as it was, or start over with --overwrite")
            for line in handle:
                if written >= records:
                    break
                try:
                    entry = json.loads(line)
                except ValueError:
                    break  # cut off mid-write: that document is done again
                if "totals" in entry:
                    if written + int(entry["records"]) > records:
                        break  # the output lost records the totals count: they are cleaned again, counted then
                    restored.merge(RunStats.from_state(entry["totals"]))
                    written += int(entry["records"])
                elif entry.get("written"):
                    restored.add(_facts(entry["facts"]))
                    written += 1
        log = cls(path, definition, restored)
        log._rewrite(restored, written)
        return log

    def _line(self, value: object) -> None:
        assert self._handle is not None
        self._handle.write(json.dumps(value, ensure_ascii=False) + "\n")
        self._handle.flush()

    def record(self, facts: DocumentFacts, written: bool) -> None:
        """A document's statistics, before its record is written; only written ones are restored on resume."""
        if written:
            self._line({"written": True, "facts": _facts_json(facts)})

    def _rewrite(self, totals: RunStats, records: int) -> None:
        """The run file as the definition and one line of totals (atomically), then open for appending."""
        self.close()
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps({"cleaner_run": _VERSION, "definition": self.definition.to_json()}) + "\n")
                out.write(json.dumps({"totals": totals.state(), "records": records}, ensure_ascii=False) + "\n")
            os.chmod(temporary, new_file_mode())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0))
        self._handle = open(fd, "a", encoding="utf-8")  # noqa: SIM115

    def finish(self, totals: RunStats, records: int) -> None:
        """The run completed: its lines become one line of totals (the output's whole statistics)."""
        self._rewrite(totals, records)
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None
