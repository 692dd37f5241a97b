"""Every code block of the README and of the reference pages it points to (docs/cli.md, cluster.md, library.md,
output.md, robustness.md, architecture.md, performance.md, bench/README.md) is run or checked: the Python
examples run (here and in test_integrations, test_cli_workflow), the rule files load, the statistics file's keys
are the run's, the commands and options shown exist. Documentation that drifts from the code fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.cli import _parser
from tests.conftest import FIXTURES, ROOT, run_cli

#: The README and the reference pages whose blocks are checked here (the guides, docs/rules.md, learning.md and
#: languages.md, are run by test_authoring, test_learning and test_lexicon).
PAGES = ("README.md", "docs/cli.md", "docs/cluster.md", "docs/library.md", "docs/output.md", "docs/robustness.md",
         "docs/architecture.md", "docs/performance.md", "bench/README.md")
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_LINES_AT_MOST = 250
TEXTS = "\n".join((ROOT / page).read_text(encoding="utf-8") for page in PAGES)
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", TEXTS, flags=re.MULTILINE | re.DOTALL)

#: The Python blocks and the test that runs each, by their first line.
PYTHON_RUN_BY = {
    "from cleaner import Cleaner, clean": "test_cli_workflow.py::test_the_readmes_library_block_runs_as_written",
    "import ray": "test_integrations.py::test_the_readmes_ray_block_runs_as_written",
    "from datatrove.executor import LocalPipelineExecutor": "test_integrations.py::test_the_readmes_datatrove_block_"
                                                            "runs_as_written",
}


def _blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == language]


def test_every_python_block_is_run_by_a_test() -> None:
    firsts = [body.splitlines()[0].split("  ")[0].strip() for body in _blocks("python")]
    assert sorted(firsts) == sorted(PYTHON_RUN_BY), "a new Python block in the README needs a test that runs it"


def _options() -> dict[str, set[str]]:
    """Every subcommand's option strings (`rules check` as `rules`)."""
    import argparse

    found: dict[str, set[str]] = {}
    parser = _parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = {o for a in sub._actions for o in a.option_strings}
                for inner in sub._actions:
                    if isinstance(inner, argparse._SubParsersAction):
                        for sub_sub in inner.choices.values():
                            found[name] |= {o for a in sub_sub._actions for o in a.option_strings}
    return found


def test_every_command_and_option_the_readme_shows_exists() -> None:
    options = _options()
    shown = [line for lang, body in BLOCKS if lang in ("sh", "") for line in body.splitlines()]
    checked, current = 0, None
    for line in shown:
        code = line.split("#")[0]
        command = re.search(r"\bcleaner (clean|learn|explain|rules)\b(.*)", code)
        if command is not None:
            current, rest = command.group(1), command.group(2)
        elif current is not None and re.match(r"\s+\[--", code):  # the synopsis goes on, indented
            rest = code
        else:
            current = None
            continue
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", rest):
            assert option in options[current], f"README: {current} has no {option}: {line}"
            checked += 1
    assert checked > 30


def test_every_bench_module_the_readme_shows_exists() -> None:
    modules = set(re.findall(r"python -m (bench\.\w+|tests\.\w+)", TEXTS))
    assert modules and all((ROOT / (m.replace(".", "/") + ".py")).exists() for m in modules), modules


def test_the_statistics_files_keys_are_a_runs(tmp_path: Path) -> None:
    [shown] = _blocks("json")
    example = json.loads(shown)
    stats = tmp_path / "stats.json"
    assert run_cli("clean", str(FIXTURES / "seeds"), "--include", "*.txt", "-o", str(tmp_path / "o.jsonl"),
                   "--stats", str(stats), "-q").returncode == 0
    assert set(example) <= set(json.loads(stats.read_text(encoding="utf-8")))


@pytest.mark.parametrize("number", range(len(_blocks("yaml"))))
def test_every_rule_file_block_loads(tmp_path: Path, number: int) -> None:
    """A whole file loads as it is; a part of one (a site's `html:`, a learned rule) inside a minimal file."""
    body = _blocks("yaml")[number]
    if body.startswith("id:"):
        text = body
    elif body.startswith("html:"):
        text = "id: example\ndomains: [example.com]\n" + body
    else:
        text = "id: example.com\nlearned_from: example.com\nrules:\n" + body
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "example.yaml").write_text(text, encoding="utf-8")
    cleaner = Cleaner([tmp_path])
    assert any(r.file.endswith("example.yaml") for r in cleaner.rulesets)


def test_the_readme_is_an_entry_point() -> None:
    """Short, the two newcomer commands first (the ones `.ci/run` runs), a contents table."""
    assert len(README.splitlines()) <= README_LINES_AT_MOST
    first, second = re.findall(r"^```sh\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)[:2]
    assert "pip install" in first and "cleaner clean" in first and second.strip() == ".venv/bin/python -m pytest -q"
    assert "## Contents" in README.split("```")[4]  # right after the two commands


@pytest.mark.parametrize("page", PAGES)
def test_every_link_of_the_readme_and_the_reference_pages_leads_somewhere(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    headings = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                for h in re.findall(r"^#+ (.*)$", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE)}
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        path, _, anchor = target.partition("#")
        if path.startswith("http"):
            continue
        if path:
            assert (ROOT / page).parent.joinpath(path).resolve().exists(), f"{page}: {target}"
        if anchor and (path.endswith("README.md") or (not path and page == "README.md")):
            assert anchor in headings, f"{page}: {target}"
