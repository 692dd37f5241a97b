"""The `cleaner clean` command: inputs, output, --explain, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from cleaner.stages.normalise import normalise_text, split_lines
from tests.conftest import FIXTURES, records, run_cli

SEED = FIXTURES / "seeds" / "001_5ac5b0db553359ce.txt"
SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini."


run = run_cli


def test_one_file_to_stdout() -> None:
    done = run("clean", str(SEED))
    assert done.returncode == 0, done.stderr
    [record] = records(done.stdout)
    assert record["id"] == str(SEED) and record["site"] == "egindo" and "removed" not in record
    assert set(record) >= {"id", "url", "site", "outlet", "title", "authors", "editors", "published", "dateline",
                           "category", "tags", "agency", "text", "warnings"}


def test_folder_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Dua. " + SENTENCE)
    (tmp_path / "1.txt").write_text("Satu. " + SENTENCE)
    (tmp_path / "skip.md").write_text("not a page")
    out = tmp_path / "out.jsonl"
    done = run("clean", str(tmp_path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert [Path(r["id"]).name for r in records(out.read_bytes())] == ["1.txt", "2.txt"]


def test_jsonl_input_keeps_ids_urls_and_titles(tmp_path: Path) -> None:
    source = tmp_path / "pages.jsonl"
    lines = [
        {"id": "a", "url": "https://www.republika.co.id/berita/1", "title": "Judul A",
         "text": "Judul A\nREPUBLIKA.CO.ID, JAKARTA -- " + SENTENCE},
        {"text": "JAKARTA - " + SENTENCE},
    ]
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    done = run("clean", str(source))
    assert done.returncode == 0, done.stderr
    first, second = records(done.stdout)
    assert (first["id"], first["site"], first["title"], first["text"]) == ("a", "republika", "Judul A", SENTENCE)
    assert first["dateline"] == "Jakarta" and first["url"] == lines[0]["url"]
    assert second["id"] == f"{source}:2"


def test_stdin_text_and_stdin_jsonl() -> None:
    done = run("clean", "-", stdin=SEED.read_bytes())
    assert records(done.stdout)[0]["site"] == "egindo"
    done = run("clean", "-", stdin=(json.dumps({"id": "x", "text": SENTENCE}) + "\n").encode())
    assert records(done.stdout) and records(done.stdout)[0]["id"] == "x"


def test_explain_lists_each_removal_with_its_rule() -> None:
    done = run("clean", "--explain", str(SEED))
    [record] = records(done.stdout)
    removed = {(r["text"], r["rule"]) for r in record["removed"]}
    assert ("Iklan", "ads/ad-label") in removed
    assert ("Moskow | EGINDO.co –", "egindo/dateline") in removed
    assert all(isinstance(r["line"], int) for r in record["removed"])
    normalised, _ = split_lines(normalise_text(SEED.read_text(encoding="utf-8")))
    lines = {line.number: line.text for line in normalised}
    for r in record["removed"]:  # each removal sits at its column of its line, as normalised
        if r["line"] in lines:
            assert lines[r["line"]][r["column"]:].startswith(r["text"]), r


def test_explain_reports_spans_cut_out_of_a_one_line_page(tmp_path: Path) -> None:
    text = ("Harga beras naik lagi minggu ini di pasar induk.Baca Juga:Warga Antre Minyak GorengADVERTISEMENT "
            "Warga mengeluh soal harga beras di pasar induk setiap hari.")
    page = tmp_path / "one-line.txt"
    page.write_text(text, encoding="utf-8")
    [record] = records(run("clean", "--explain", str(page)).stdout)
    assert record["text"] == ("Harga beras naik lagi minggu ini di pasar induk.\n\n"
                              "Warga mengeluh soal harga beras di pasar induk setiap hari.")
    spans = {(r["column"], r["text"]) for r in record["removed"]}
    assert {(48, "Baca Juga:"), (58, "Warga Antre Minyak Goreng"), (83, "ADVERTISEMENT")} <= spans
    assert all(text[column:].startswith(removed) for column, removed in spans)


def test_bad_inputs_each_get_an_error_record_and_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(("Caf\u00e9 itu ramai sekali setiap pagi di Jakarta. " * 10).encode("cp1252"))
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text('{"id": "ok", "text": "Isi."}\nnot json\n{"id": "n"}\n{"id": "t", "text": 5}\n'
                     '{"id": "ok", "text": "lagi"}\n')
    out = tmp_path / "out.jsonl"
    done = run("clean", str(good), str(tmp_path / "missing.txt"), str(binary), str(latin), str(jsonl), "-o", str(out))
    assert done.returncode == 1
    got = records(out.read_bytes())
    assert len(got) == 9
    errors = [r.get("error") for r in got]
    assert errors[0] is None and "does not exist" in errors[1] and "binary" in errors[2]
    assert errors[3] is None and "charset-normalizer" in got[3]["warnings"][0]
    assert errors[4] is None and "not valid JSON" in errors[5]
    assert "no 'text'" in errors[6] and "not a string" in errors[7] and "duplicate id" in errors[8]
    assert b"9 document(s), 3 cleaned, 6 failed" in done.stderr


def test_empty_folder_is_an_error_record(tmp_path: Path) -> None:
    done = run("clean", str(tmp_path))
    assert done.returncode == 1 and "holds no" in records(done.stdout)[0]["error"]


def user_rules(tmp_path: Path, name: str, text: str) -> Path:
    """A --rules folder holding one site rule file."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / name).write_text(text)
    return rules


def test_malformed_rule_file_stops_before_any_document(tmp_path: Path) -> None:
    rules = user_rules(tmp_path, "site.yaml", "id: s\ndomains: [s.com]\nrules:\n  - id: r\n    action: drop_line\n"
                                              "    pattern: '(unclosed'\n")
    out = tmp_path / "out.jsonl"
    done = run("clean", "--rules", str(rules), str(SEED), "-o", str(out))
    assert done.returncode == 2
    assert b"site.yaml:6: rule 's/r': invalid regex" in done.stderr
    assert not out.exists()


def test_catastrophic_rule_is_rejected_at_load(tmp_path: Path) -> None:
    rules = user_rules(tmp_path, "slow.yaml", "id: slow\ndomains: [s.com]\nrules:\n"
                                              "  - {id: r, action: drop_line, pattern: '(a|aa)+$'}\n")
    done = run("clean", "--rules", str(rules), str(SEED))
    assert done.returncode == 2 and b"backtracks catastrophically" in done.stderr


def test_pattern_that_stalls_on_one_page_fails_only_that_page(tmp_path: Path) -> None:
    rules = user_rules(tmp_path, "slow.yaml", "id: slow\nsignatures: ['SLOWPAGE']\nrules:\n"
                                              "  - {id: r, action: drop_line, pattern: '(b|bb)+$'}\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("SLOWPAGE\n" + "b" * 80 + "!\n")
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE)
    done = run("clean", "--rules", str(rules), "--pattern-timeout", "0.05", str(bad), str(good))
    assert done.returncode == 1
    first, second = records(done.stdout)
    assert "slow/r" in first["error"] and "timed out" in first["error"]
    assert second["text"] == SENTENCE


def test_usage_error_exits_2() -> None:
    assert run("clean").returncode == 2
    assert run("nonsense").returncode == 2
