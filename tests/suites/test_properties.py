"""Hypothesis properties of the whole pipeline.

CI runs the "ci" profile (conftest); `HYPOTHESIS_PROFILE=thorough` runs 100,000 examples per property.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import regex
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.stages.normalise import normalise_text, split_lines
from cleaner.stages.repair import repair_text
from cleaner.text.prose import reads_like_prose

CLEANER = Cleaner()
VISIBLE = regex.compile(r"[^\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]")
ODD = "\u00a0\u200b\u200c\u200d\u2060\ufeff\u2003\u3000\t\r\x00"

PIECES = st.sampled_from([
    "Baca Juga: X", "Iklan", "04:10", "(far)", "Penulis : A - Editor : B", "5 September 2023", "JAKARTA - Isi.",
    "REPUBLIKA.CO.ID, BOGOR -- Isi.", "Topik", ".", "", " ", ODD, "&amp;nbsp;", "SchÃ¶n", "kp/rs (Reuters)",
    "Kalimat biasa yang cukup panjang untuk sebuah berita hari ini.", "Baca Juga:Judul SatuJudul Dua",
    "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", "Jl.Sudirman", "Prof. Dr.", "(Foto: X)", "\u00a9 Y.com",
    "Laporan Wartawan X.com, Nama", "X.COM, JAKARTA -", "(kpl/sry)", "Simak Video 'Judul':", "1. Menerima."])
#: Page text with lines, and the same pieces as scrapers put them on one line. (Glued with no space at all,
#: such fragments make text no scraper prints, "0.(AA)BacaJuga"; `one_line_page` below glues real sentences.)
#: Every code point, lone surrogates too: a JSON line's "\ud800" arrives as one.
any_text = (st.text(alphabet=st.characters(exclude_categories=()), max_size=400)
            | st.lists(PIECES, max_size=30).map("\n".join)
            | st.lists(PIECES, max_size=30).map(" ".join))

WORDS = st.sampled_from(["pemerintah", "kota", "warga", "harga", "pasar", "sekolah", "jalan", "hujan", "banjir", "rumah", "desa", "petani", "kebijakan", "anggaran", "pejabat", "menteri", "rapat", "proyek", "listrik", "air", "laut"])
sentence = st.lists(WORDS, min_size=9, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")


@given(any_text)
def test_never_raises_and_output_is_clean(text: str) -> None:
    result = CLEANER.clean_or_error(text)
    assert result.error is None or (not VISIBLE.search(text) and "nothing to clean" in result.error)
    for bad in "\u00a0\u200b\u200c\u200d\u2060\ufeff\x00\u202e\u2066":
        assert bad not in result.text
    json.dumps(result.to_dict(explain=True), ensure_ascii=False).encode("utf-8")  # every record can be written
    assert all(line == line.rstrip() for line in result.text.split("\n"))
    assert "\n\n\n" not in result.text


#: Sites whose headline is "the first line": by that rule, a cleaned body cleaned again loses its first line.
FIRST_LINE_TITLES = frozenset(s.id for s in CLEANER.sites if s.title is not None and s.title.first_line)


@given(any_text)
@example("(inj/qnw) .(inj/qnw) . .BacaJuga")  # found by a 100,000-example run: a doubled stop left on a unit
@example("0.CO-SIMAK VIDEO;0. A:0")  # and: a line rule that matches once a dateline is cut from the line
@example("0:0:0.BacaJuga:A:0:0:0:0 0 APR. A:0:0:0:0:0:0:0:0 b")  # and: a headline cut whose marker is gone
@example("A0 0 00i. A0 0 00i.SiMAK VIDEO;0. A:0")  # and: a line rule that matches once repeated units left
def test_cleaning_its_own_output_changes_nothing(text: str) -> None:
    first = CLEANER.clean_or_error(text)
    once = first.text
    assume(first.site not in FIRST_LINE_TITLES)  # the 100,000-example run found such text (a site signature)
    assert not once or CLEANER.clean(once).text == once


@given(st.lists(sentence, min_size=1, max_size=12, unique=True))
def test_sentences_no_rule_matches_all_survive_in_order(sentences: list[str]) -> None:
    result = CLEANER.clean("\n\n".join(sentences))
    assert result.paragraphs == sentences and not result.removed


@given(any_text)
@example("(aa/aa). . A.")  # a 100,000-example run's find: a doubled stop inside a line is the line's own
def test_every_line_that_left_the_body_is_reported(text: str) -> None:
    normalised, _ = split_lines(normalise_text(repair_text(text)[0]))
    result = CLEANER.clean_or_error(text)
    kept = set(result.paragraphs)
    reported = {r.line for r in result.removed}
    for line in normalised:
        if line.text and line.text not in kept:
            assert line.number in reported, (line, result.removed)


def _real_paragraphs() -> list[str]:
    """Body paragraphs of the bundled fixture pages: real article text, as the cleaner must keep it."""
    paragraphs: list[str] = []
    for path in sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.expected.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        paragraphs.extend(p for p in text.split("\n\n") if reads_like_prose(p))  # subheadings need a context
    return paragraphs


#: Chrome that explicit rules remove wherever it stands (no sign-offs: those end the article on purpose).
CHROME = ["Baca juga: Harga Cabai Naik Lagi di Pasar Induk", "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT",
          "[Gambas:Video 20detik]", "Bagikan", "Iklan", "Foto: Dok. Humas Pemprov", "Penulis: Andi Saputra",
          "Editor: Budi Santoso", "0 SHARE", "Halaman Selanjutnya", "This browser does not support the video element.",
          "View this post on Instagram", "Simak Video \"Banjir Rendam Kemang\""]
real_page = st.lists(
    st.tuples(st.lists(st.sampled_from(CHROME), max_size=2), st.sampled_from(_real_paragraphs())),
    min_size=1, max_size=8, unique_by=lambda pair: pair[1],
)


@given(real_page)
@example([(["Baca juga: Harga Cabai Naik Lagi di Pasar Induk"],  # a sentence of a script without spaces is no
           "市は一日、川沿いに続く桜並木のうち、樹齢七十年を超えて弱った木を来年度から順に植え替えると発表した。")])  # headline
def test_real_paragraphs_survive_chrome_around_them(pairs: list[tuple[list[str], str]]) -> None:
    lines = [line for chrome, paragraph in pairs for line in (*chrome, paragraph)]
    result = CLEANER.clean("\n\n".join(lines))
    assert result.paragraphs == [paragraph for _, paragraph in pairs]
    assert CLEANER.clean(result.text).text == result.text


#: Chrome as scrapers glue it into one-line text, with the text that follows it: a headline glued to the
#: next sentence, a marker glued after a sentence end ("...ditutup.Baca Juga:Judul LainBahkan, ...").
GLUED_CHROME = ["Baca Juga:Harga Cabai Naik Lagi Di Pasar Induk", "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT ",
                "View this post on Instagram ", "Simak Video 'Banjir Rendam Kemang': ", "[Gambas:Video 20detik] ",
                "(Baca juga: Warga Antre Minyak Goreng) "]
one_line_page = st.lists(
    st.tuples(st.sampled_from(_real_paragraphs()), st.sampled_from(["", " "]),
              st.lists(st.sampled_from(GLUED_CHROME), max_size=1)),
    min_size=1, max_size=6, unique_by=lambda triple: triple[0],
)


@given(one_line_page)
@example([  # a 100,000-example run's find: a junction checked after a cut span, read from a window at a space
    ("Saat berada di Vladivostok, sebuah kota pelabuhan yang tidak jauh dari Korea Utara, kedua pemimpin akan "
     "membahas pengiriman peluru artileri dan rudal anti-tank dari Rusia kepada Kim untuk ditukar dengan teknologi "
     "canggih Moskow untuk satelit dan kapal selam bertenaga nuklir", "", ["(Baca juga: Warga Antre Minyak Goreng) "]),
    ("Para pejabat AS dan Korea Selatan telah menyatakan kekhawatirannya bahwa Kim akan membahas penyediaan senjata "
     "dan amunisi ke Rusia, yang telah menghabiskan banyak persediaan senjata dalam lebih dari 18 bulan perang di "
     "Ukraina. Moskow dan Pyongyang membantah niat tersebut.", "", []),
])
def test_one_line_pages_keep_every_body_sentence_in_order(parts: list[tuple[str, str, list[str]]]) -> None:
    page = "".join(paragraph + (gap + "".join(chrome) if chrome else " ") for paragraph, gap, chrome in parts)
    result = CLEANER.clean(page)
    flat = " ".join(result.text.split())
    position = 0
    for paragraph, _, _ in parts:
        found = flat.find(" ".join(paragraph.split()), position)
        assert found >= 0, (paragraph, result.text)
        position = found + len(paragraph)
    for _, _, chrome in parts:
        for piece in chrome:
            assert piece.strip() not in flat
    assert CLEANER.clean(result.text).text == result.text


#: A file name as bytes: anything but "/" and NUL, so names that are not UTF-8 too.
file_name = st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")) \
    .filter(lambda b: b not in (b".", b".."))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file_name, any_text)
@example(b"_", "\x85")  # a 100,000-example run's find: NEL, raw in a JSON string, is a line end to splitlines()
def test_any_file_name_and_any_record_text_give_a_written_record(tmp_path: Path, name: bytes, text: str) -> None:
    from cleaner import cli

    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    page = Path(os.fsdecode(bytes(folder) + b"/" + name + b".txt"))
    page.write_text("Kalimat biasa yang cukup panjang untuk sebuah berita hari ini.", encoding="utf-8")
    (folder / "records.jsonl").write_text(json.dumps({"id": text[:20], "title": text[:30], "text": text}) + "\n")
    out = tmp_path / "out.jsonl"
    assert cli.main(["clean", str(folder), "-o", str(out), "-q", "-j", "1"]) in (0, 1)
    written = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    assert len(written) == 2


#: The control bytes that mark a binary file, as `decode` first wrote them: one count per byte value.
BINARY_MARKS = (*range(0, 8), 11, 14, 15, *range(16, 27), *range(28, 32))


@given(st.binary(max_size=3000) | st.lists(st.sampled_from([b"a", b"kata ", b"\n", b"\x01", b"\x1b", b"\x0b"])).map(b"".join))
def test_binary_files_are_told_by_their_share_of_control_bytes(raw: bytes) -> None:
    from cleaner.stages.decode import _looks_binary

    sample = raw[:65536]
    share = sum(sample.count(bytes([b])) for b in BINARY_MARKS)
    assert _looks_binary(raw) == (b"\x00" in sample or share > 0.01 * len(sample))


@given(st.text(alphabet=st.sampled_from("ab -.\u0915\u093f\u00e91_\u200d!\u3042\n"), max_size=60), st.integers(0, 12))
def test_has_words_tells_whether_the_text_holds_that_many_runs_of_word_characters(text: str, count: int) -> None:
    from cleaner.text.prose import has_words

    assert has_words(text, count) == (len(regex.findall(r"\w+", text)) >= count)
