"""Instructions this checkout and another revision spend cleaning the same pages, counted by callgrind.

    .venv/bin/python -m bench.instructions REV [PAGES...]

Wall time on this machine drifts by up to a third within minutes, so a 2% change hides in it; valgrind's
callgrind counts the instructions a run executes instead, the same count for the same code, pages and
environment whatever else the machine does. Each side (REV from `git archive`, this checkout as its files now
stand) runs in its own process under callgrind, with a fixed hash seed: it builds a `Cleaner`, cleans every
page once to warm up, then counts one more pass with the garbage collector paused (a collection lands on one
side or the other by chance). Needs valgrind (`apt-get install valgrind`); about 20 s for the 30 dev texts.
Instructions are not seconds (cache misses cost more than their count), so the figure to report stays the
side-by-side MB/s of `bench.versus`; this one tells whether a change made the work smaller.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The counted worker: page paths in argv; callgrind counts only between the two `callgrind_control` calls.
WORKER = r"""
import gc, gzip, os, subprocess, sys
from cleaner import Cleaner
cleaner = Cleaner()
cleaner.warm_up()
pages = [gzip.open(p).read() if p.endswith(".gz") else open(p, "rb").read() for p in sys.argv[1:]]
for page in pages:
    cleaner.clean(page)
gc.collect()
gc.disable()
subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
for page in pages:
    cleaner.clean(page)
subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)
"""


def source_of(rev: str | None, folder: Path) -> Path:
    """`cleaner/` and `rules/` of a revision (None: this checkout's files as they stand) in `folder`."""
    folder.mkdir(parents=True)
    if rev is None:
        for part in ("cleaner", "rules"):
            shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "cleaner", "rules"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _count(source: Path, pages: list[Path], out: Path) -> subprocess.Popen[bytes]:
    env = {"PYTHONPATH": str(source), "PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "")}
    return subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, "-c", WORKER, *map(str, pages)],
        cwd=tempfile.gettempdir(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _collected(process: subprocess.Popen[bytes]) -> int:
    _, err = process.communicate()
    found = re.search(rb"Collected : (\d+)", err)
    if process.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed:\n{err.decode(errors='replace')[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev")
    parser.add_argument("pages", nargs="*", type=Path)
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: install valgrind (apt-get install valgrind)")
    dev_text = ROOT.parent / "shared" / "dev" / "text"
    paths = args.pages or sorted(dev_text.glob("*.txt")) or sorted((ROOT / "fixtures").rglob("*.txt"))
    paths = [p.resolve() for p in paths]
    size = sum(p.stat().st_size for p in paths)
    with tempfile.TemporaryDirectory() as tmp:
        sides = {"this checkout": source_of(None, Path(tmp, "this")), args.rev: source_of(args.rev, Path(tmp, "rev"))}
        runs = {name: _count(source, paths, Path(tmp, f"{k}.out")) for k, (name, source) in enumerate(sides.items())}
        counted = {name: _collected(process) for name, process in runs.items()}
    print(f"{len(paths)} pages, {size / 1e6:.2f} MB, one pass each, counted by callgrind")
    for name, instructions in counted.items():
        print(f"  {name:<16} {instructions / 1e6:9.1f} M instructions, {instructions / size:7.0f} a byte")
    mine, theirs = counted.values()
    print(f"  ratio ({args.rev} / this checkout): {theirs / mine:.3f}x (above 1: this checkout does less work)")


if __name__ == "__main__":
    main()
