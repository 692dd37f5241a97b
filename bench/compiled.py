"""Text throughput of this checkout compiled to C (Cython or mypyc) against the same checkout as Python.

    .venv/bin/python -m bench.compiled [PAGES...] [--repeat N] [--compiler cython|mypyc]

Asks how much of a page's time is the interpreter's dispatch: the modules a text page spends its time in
(`HOT_MODULES`) are compiled, untouched, in a copy of `cleaner/` and `rules/`, and both copies clean the same
pages taking turns (`bench.versus`). A ratio near 1 says the time is in the work itself (`regex` calls, str
methods, building objects), which compiling leaves as it is. Needs the compiler (`pip install cython`; mypyc
comes with mypy) and a C compiler; a few minutes to build.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.instructions import source_of
from bench.versus import ROOT, compare, default_pages

#: The modules a text page spends its time in (see docs/performance.md, "Where the time goes").
HOT_MODULES = (
    "cleaner/stages/strip/blocks.py", "cleaner/stages/strip/body.py", "cleaner/stages/strip/edges.py",
    "cleaner/stages/strip/footers.py", "cleaner/stages/strip/line_rules.py", "cleaner/stages/strip/page.py",
    "cleaner/stages/strip/plan.py", "cleaner/stages/strip/sequence.py", "cleaner/text/prose.py",
    "cleaner/stages/strip/title.py", "cleaner/stages/segment.py", "cleaner/stages/normalise.py",
    "cleaner/stages/detect.py", "cleaner/stages/tidy.py", "cleaner/ruleset/index.py", "cleaner/ruleset/model.py",
    "cleaner/ruleset/prefilter.py",
)

#: The build, run in the copy: each compiler's own setuptools helper, extensions built in place.
BUILD = {
    "cython": (
        "from Cython.Build import cythonize\n"
        "from setuptools import setup\n"
        "import sys\n"
        # annotations are not C types here: the code is compiled as written, its semantics untouched
        "setup(ext_modules=cythonize(sys.argv[1:], language_level=3, nthreads=2,\n"
        "      compiler_directives={'binding': True, 'annotation_typing': False}),\n"
        "      script_args=['build_ext', '--inplace'])\n"
    ),
    "mypyc": (
        "from mypyc.build import mypycify\n"
        "from setuptools import setup\n"
        "import sys\n"
        "setup(ext_modules=mypycify(sys.argv[1:]), script_args=['build_ext', '--inplace'])\n"
    ),
}


def build(compiler: str, folder: Path) -> Path:
    """A copy of this checkout's `cleaner/` and `rules/` in `folder` (made here), its hot modules compiled by
    `compiler`."""
    source_of(None, folder)
    if compiler == "mypyc":
        # mypyc type-checks first: the libraries without stubs, as pyproject.toml's mypy settings have them (the
        # copy has no pyproject.toml: setuptools would read its [project] table)
        (folder / "mypy.ini").write_text("[mypy]\nignore_missing_imports = True\n")
    done = subprocess.run([sys.executable, "-c", BUILD[compiler], *HOT_MODULES], cwd=folder,
                          capture_output=True, text=True)
    built = list(folder.glob("cleaner/**/*.so"))
    if done.returncode != 0 or len(built) < len(HOT_MODULES):
        raise SystemExit(f"{compiler} build failed ({len(built)} modules built):\n{done.stderr[-3000:]}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--compiler", choices=sorted(BUILD), default="cython")
    args = parser.parse_args()
    paths = [p.resolve() for p in args.pages or default_pages()]
    with tempfile.TemporaryDirectory() as tree:
        compiled = build(args.compiler, Path(tree, "compiled"))
        print(f"{args.compiler}: {len(HOT_MODULES)} modules compiled")
        compare({args.compiler: compiled, "Python": ROOT}, paths, args.repeat)


if __name__ == "__main__":
    main()
