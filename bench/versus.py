"""Text throughput of this checkout against another revision, in one run, taking turns page by page.

    .venv/bin/python -m bench.versus REV [PAGES...] [--repeat N]

REV (a commit, tag or branch) is checked out into a temporary git worktree; a worker process for each side
imports its own `cleaner` and cleans the page it is sent, so both run on the same machine at the same time
and a machine that slows down mid-run slows both alike. Prints MB/s (of the files as stored) for each and the
ratio, over all turns and over each page's fastest turn (the steadier figure). Pages may be text or HTML,
gzipped or not (`../shared/aeb/html/*.html.gz`). Default pages: the dev full-page texts (`../shared/dev/text`)
when present, else the bundled fixtures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The worker: reads page paths on stdin, cleans each (after a warm-up), answers with the seconds it took.
#: Pages are read as bytes (gunzipped for `.gz`), so text and HTML pages (the AEB's) both work.
WORKER = r"""
import gzip, json, sys, time
from cleaner import Cleaner
cleaner = Cleaner()
cleaner.warm_up()
print(json.dumps({"ready": __import__("cleaner").__file__}), flush=True)
for line in sys.stdin:
    path = line.strip()
    page = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    started = time.perf_counter()
    cleaner.clean(page)
    print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
"""


class Worker:
    """One side: a process whose `cleaner` comes from `source`."""

    def __init__(self, source: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=tempfile.gettempdir(), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={"PYTHONPATH": str(source), "PATH": ""},
        )
        self.module = self._answer()["ready"]

    def _answer(self) -> dict[str, str | float]:
        assert self.process.stdout is not None
        return json.loads(self.process.stdout.readline())  # type: ignore[no-any-return]

    def clean(self, path: Path) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        return float(self._answer()["seconds"])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def compare(sources: dict[str, Path], paths: list[Path], repeat: int) -> None:
    """Clean `paths` `repeat` times with a worker per source (name -> folder holding `cleaner/`), taking turns
    page by page, and print each side's MB/s and the first side's speed over the second's."""
    size = sum(p.stat().st_size for p in paths) * repeat
    sides = {name: Worker(source) for name, source in sources.items()}
    times: dict[str, list[list[float]]] = {name: [[] for _ in paths] for name in sides}
    for _ in range(repeat):
        for k, path in enumerate(paths):
            for name, worker in sides.items():
                times[name][k].append(worker.clean(path))
    for worker in sides.values():
        worker.close()
    # All turns, and each page's fastest turn: a machine that slows down now and then (seen here by up to a
    # third) adds to some turns only, so the fastest is the steadier figure of what the code costs.
    spent = {name: sum(map(sum, rows)) for name, rows in times.items()}
    fastest = {name: sum(map(min, rows)) for name, rows in times.items()}
    print(f"{len(paths)} pages x {repeat}, {size / 1e6:.2f} MB, turns page by page")
    for name, seconds in spent.items():
        print(f"  {name:<16} {size / 1e6 / seconds:6.2f} MB/s, fastest turns "
              f"{size / repeat / 1e6 / fastest[name]:6.2f} MB/s  ({sides[name].module})")
    first, second = list(sources)[:2]
    print(f"  ratio ({first} / {second}): {spent[second] / spent[first]:.2f}x, "
          f"fastest turns {fastest[second] / fastest[first]:.2f}x")


def default_pages() -> list[Path]:
    """The dev full-page texts when `../shared` is there, else the bundled fixtures."""
    dev_text = ROOT.parent / "shared" / "dev" / "text"
    return sorted(dev_text.glob("*.txt")) or sorted((ROOT / "fixtures").rglob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev")
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = [p.resolve() for p in args.pages or default_pages()]
    with tempfile.TemporaryDirectory() as tree:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", tree, args.rev], check=True)
        try:
            compare({"this checkout": ROOT, args.rev: Path(tree)}, paths, args.repeat)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tree], check=True)


if __name__ == "__main__":
    main()
