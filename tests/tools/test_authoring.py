"""The rule author's tools: `cleaner rules check|test|schema`, the action table and the JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from cleaner.cli import main
from cleaner.errors import RuleFileError
from cleaner.ruleset.actions import ACTION_SPECS, OPTIONS, allowed_keys, reference_markdown
from cleaner.ruleset.loader import bundled_rules_dir, load_rules
from cleaner.ruleset.schema import rule_file_schema, shipped_schema_path
from cleaner.ruleset.yaml_lines import rule_files
from tests.conftest import FIXTURES, ROOT

SITE = "id: x\nname: X\ndomains: [x.example]\n"
BODY = ("Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat selama dua pekan hingga akhir bulan.\n"
        "Iklan\n"
        "Wali Kota mengatakan angka penularan di wilayahnya belum turun secara konsisten dalam dua pekan terakhir.\n")


def _problems(rules_dir: Callable[..., Path], text: str) -> str:
    with pytest.raises(RuleFileError) as caught:
        load_rules([rules_dir(sites={"x.yaml": text})], bundled=False)
    return str(caught.value)


# -- rules check -------------------------------------------------------------------------------------------------


def test_rules_check_counts_the_files_and_rules_of_a_good_folder(capsys: pytest.CaptureFixture[str]) -> None:
    files = rule_files(bundled_rules_dir())
    rules = sum(len(r.rules) for r in load_rules())
    assert main(["rules", "check", str(bundled_rules_dir())]) == 0
    assert capsys.readouterr().out == f"ok: {len(files)} files, {rules} rules\n"


def test_rules_check_reports_each_problem_at_the_bad_keys_line(rules_dir: Callable[..., Path],
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = rules_dir(sites={"x.yaml": SITE + "vars:\n  paywall_marker: '(?:Premium|Plus)'\nrules:\n"
                              "  - id: a\n    action: drop_line\n    note: fine\n    pattern: '\\d+ {{paywal_marker}}'\n"
                              "  - id: b\n    action: drop_line\n    patern: 'Iklan'\n"})
    assert main(["rules", "check", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2, err  # one typo, one error: the mistyped key is not also "missing 'pattern'"
    assert err[0].endswith("x.yaml:10: rule 'x/a': unknown variable {{paywal_marker}} in pattern "
                           "'\\d+ {{paywal_marker}}' (did you mean {{paywall_marker}}?)")  # the pattern as written: one backslash
    assert err[1].endswith("x.yaml:13: rule 'x/b': unknown key 'patern' in a rule (did you mean 'pattern'?)")
    assert not any("__" in line for line in err)


def test_rules_check_never_shows_the_loaders_bookkeeping(rules_dir: Callable[..., Path]) -> None:
    message = _problems(rules_dir, SITE + "rules:\n  - {id: a, action: drop_line, pattern: {x: 1}}\n")
    assert "a pattern must be a non-empty string, not {x: 1}" in message and "__" not in message


def test_rules_check_refuses_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err


# -- only meaningful rules load ----------------------------------------------------------------------------------

#: Rules that would load and do nothing (or less than written), and what the loader says of each.
MEANINGLESS = [
    ("{id: r, action: cut_prefix, pattern: 'JAKARTA -', scope: any}", "reads scope lead only, not 'any'"),
    ("{id: r, action: cut_suffix, pattern: '\\(aa\\)', scope: lead}", "reads scope last only, not 'lead'"),
    ("{id: r, action: drop_block, pattern: A, end: B, scope: head}", "reads scope any only, not 'head'"),
    ("{id: r, action: drop_block, pattern: A, end: B, keep: true}", "'keep' does not apply to action 'drop_block'"),
    ("{id: r, action: drop_block, pattern: A}", "action 'drop_block' needs 'end'"),
    ("{id: r, action: drop_repeated, pattern: A}", "'pattern' does not apply to action 'drop_repeated'"),
    ("{id: r, action: drop_paragraph, text: Iklan, with_next: 2}",
     "'with_next' does not apply to action 'drop_paragraph'"),
    ("{id: r, action: drop_line, text: Iklan, headlines: true}", "'headlines' does not apply to action 'drop_line'"),
    ("{id: r, action: split, text: Iklan}", "'text' does not apply to action 'split'"),
    ("{id: r, action: capture, pattern: '(?P<authors>.+)', keep: true, with_next: 1}",
     "'with_next' cannot go with 'keep'"),
    ("{id: r, action: capture, pattern: 'Penulis', end: '(?P<authors>.+)', scope: head}",
     "action 'capture' with 'end' reads scope any only, not 'head'"),
    ("{id: r, action: drop_after, text: Iklan, max_lines: 3}", "'max_lines' does not apply to action 'drop_after'"),
]


@pytest.mark.parametrize(("rule", "message"), MEANINGLESS, ids=[m[1][:40] for m in MEANINGLESS])
def test_a_rule_its_action_would_ignore_is_refused_by_loader_and_schema(rules_dir: Callable[..., Path],
                                                                       rule: str, message: str) -> None:
    text = SITE + "rules:\n  - " + rule + "\n"
    assert message in _problems(rules_dir, text)
    errors = list(jsonschema.Draft202012Validator(rule_file_schema()).iter_errors(yaml.safe_load(text)))
    assert errors, f"the schema accepts {rule}"


def test_named_groups_only_where_the_action_reads_them(rules_dir: Callable[..., Path]) -> None:
    message = _problems(rules_dir, SITE + "rules:\n  - {id: r, action: drop_line, pattern: 'Oleh (?P<authors>.+)'}\n")
    assert "named groups are only read in rules that capture metadata" in message


def test_every_rule_key_is_declared_by_the_action_table() -> None:
    for spec in ACTION_SPECS.values():
        assert set(spec.options) <= set(OPTIONS), spec.action
        assert spec.scopes, spec.action
        assert all(key in OPTIONS for pair in spec.exclusive for key in pair)


# -- the JSON Schema ---------------------------------------------------------------------------------------------


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert json.loads(shipped_schema_path().read_text(encoding="utf-8")) == rule_file_schema()


def test_the_schema_is_valid_and_accepts_every_bundled_rule_file() -> None:
    schema = rule_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in rule_files(bundled_rules_dir()):
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert not errors, (path.name, errors[:3])


def test_rules_schema_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "rule-file.schema.json"
    assert main(["rules", "schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == rule_file_schema()


# -- rules test --------------------------------------------------------------------------------------------------


def _site_with_example(rules_dir: Callable[..., Path], expected: dict[str, object]) -> Path:
    folder = rules_dir(sites={"x.yaml": SITE + "rules:\n  - {id: ad, action: drop_line, text: Iklan}\n"})
    tests = folder / "sites" / "x.tests"
    tests.mkdir()
    (tests / "page.txt").write_text(BODY, encoding="utf-8")
    (tests / "page.expected.json").write_text(json.dumps({"url": "https://x.example/a", **expected}), encoding="utf-8")
    return folder


def test_rules_test_passes_an_example_beside_its_rule_file(rules_dir: Callable[..., Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    body = "\n\n".join(line for line in BODY.splitlines() if line != "Iklan")
    folder = _site_with_example(rules_dir, {"text": body, "chrome_lines": ["Iklan"]})
    assert main(["rules", "test", str(folder)]) == 0
    assert capsys.readouterr().out.endswith("1 passed, 0 failed\n")


def test_rules_test_prints_a_diff_for_a_failing_example(rules_dir: Callable[..., Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = _site_with_example(rules_dir, {"text": BODY.replace("Iklan\n", ""), "outlet": "Other", "chrome_lines": []})
    assert main(["rules", "test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "FAIL " in out and "page.txt" in out and "outlet: expected 'Other', got 'X'" in out
    assert "1 passed" not in out and out.endswith("0 passed, 1 failed\n")


def test_rules_test_without_examples_says_where_they_go(rules_dir: Callable[..., Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = rules_dir(sites={"x.yaml": SITE + "rules: []\n"})
    assert main(["rules", "test", str(folder)]) == 1
    assert "x.tests" in capsys.readouterr().err


def test_the_projects_own_fixtures_pass_through_rules_test(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "test", str(ROOT / "rules"), "--examples", str(FIXTURES)]) == 0
    assert "0 failed" in capsys.readouterr().out


def test_the_docs_reference_is_the_action_table() -> None:
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    start, end = docs.index("<!-- reference:start -->\n"), docs.index("<!-- reference:end -->")
    assert docs[start + len("<!-- reference:start -->\n"):end] == reference_markdown(), \
        "regenerate the reference in docs/rules.md from cleaner.ruleset.actions.reference_markdown()"
    for spec in ACTION_SPECS.values():
        assert f"| `{spec.action.value}` |" in docs, spec.action
        for key in allowed_keys(spec):
            assert f"| `{key}` |" in docs, key


def _code_block(docs: str, heading: str, language: str) -> str:
    section = docs[docs.index(heading):]
    start = section.index(f"```{language}\n") + len(f"```{language}\n")
    return section[start:section.index("```", start)]


def test_the_guide_goes_from_the_sample_page_to_a_passing_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """docs/rules.md's rule file and example, written where the guide writes them, check and pass."""
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    tests = tmp_path / "myrules" / "sites" / "antaranews.tests"
    tests.mkdir(parents=True)
    (tests.parent / "antaranews.yaml").write_text(_code_block(docs, "## 2.", "yaml"), encoding="utf-8")
    (tests / "lembar.txt").write_bytes((FIXTURES / "sites" / "antaranews.txt").read_bytes())
    (tests / "lembar.expected.json").write_text(_code_block(docs, "## 4.", "json"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "check", "myrules"]) == 0
    assert capsys.readouterr().out == "ok: 1 files, 1 rules\n"
    assert main(["rules", "test", "myrules"]) == 0
    assert capsys.readouterr().out == "1 passed, 0 failed\n"
