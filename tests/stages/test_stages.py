"""Unit tests of each pipeline stage on its own."""

from __future__ import annotations

import codecs

import pytest

from cleaner.dates import parse_published
from cleaner.document import Document, Line
from cleaner.errors import DocumentError
from cleaner.ruleset.index import RuleIndex
from cleaner.ruleset.loader import load_rules
from cleaner.stages.decode import decode, decode_bytes
from cleaner.stages.detect import SiteSignatures, host_of, site_for_text, site_for_url
from cleaner.stages.normalise import normalise, split_lines
from cleaner.stages.repair import repair_text
from cleaner.stages.tidy import tidy
from cleaner.text.names import split_names, title_case

# -- decode ---------------------------------------------------------------------------------------------------


def test_decode_utf8_without_warning() -> None:
    assert decode_bytes("Jakarta “hari ini”".encode()) == ("Jakarta “hari ini”", None)


def test_decode_utf8_bom_is_dropped_silently() -> None:
    text, warning = decode_bytes(codecs.BOM_UTF8 + b"Kabar")
    assert text == "Kabar" and warning is None


def test_decode_utf16_with_bom_warns() -> None:
    text, warning = decode_bytes("Berita hari ini".encode("utf-16"))
    assert text == "Berita hari ini" and "utf-16" in (warning or "")


def test_decode_latin1_falls_back_to_detection_with_warning() -> None:
    raw = ("Caf\u00e9 di Jakarta menjual kopi \u00e0 la fran\u00e7aise setiap hari. " * 20).encode("cp1252")
    text, warning = decode_bytes(raw)
    assert "Caf\u00e9" in text and "fran\u00e7aise" in text
    assert warning and "charset-normalizer" in warning


def test_decode_rejects_binary() -> None:
    with pytest.raises(DocumentError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_decode_stage_keeps_warning_on_document() -> None:
    doc = decode(Document(id="x", text="", raw=("Caf\u00e9 kopi " * 50).encode("latin-1")))
    assert doc.raw is None and "Caf\u00e9" in doc.text and doc.warnings


# -- repair ---------------------------------------------------------------------------------------------------


def test_repair_fixes_mojibake() -> None:
    assert repair_text("Sch\u00c3\u00b6n caf\u00c3\u00a9")[0] == "Sch\u00f6n caf\u00e9"


def test_repair_unescapes_double_escaped_entities() -> None:
    text, changed = repair_text("Kata &amp;ldquo;damai&amp;rdquo; dan&amp;nbsp;perang")
    assert text == "Kata \u201cdamai\u201d dan perang" and changed == 1  # the NBSP is already a space


def test_repair_leaves_typography_alone() -> None:
    prose = "\u201cIni penting\u201d \u2013 katanya\u2026 \u2018ya\u2019 \u2014 selesai"
    assert repair_text(prose) == (prose, 0)


# -- normalise ------------------------------------------------------------------------------------------------


def test_normalise_spaces_invisibles_and_blank_runs() -> None:
    doc = normalise(Document(id="x", text="A\u00a0b\u200b c  \t\n\n\n\nD\u2003e \ufeff\n"))
    assert [line.text for line in doc.lines] == ["A b c", "", "D e"]


def test_normalise_applies_nfc() -> None:
    doc = normalise(Document(id="x", text="Cafe\u0301"))
    assert doc.lines[0].text == "Caf\u00e9"


def test_lone_punctuation_joins_the_paragraph_before() -> None:
    lines, removed = split_lines("Dipimpin AS di wilayah tersebut\n\n.\n\nParagraf berikut.")
    assert [line.text for line in lines] == ["Dipimpin AS di wilayah tersebut.", "", "Paragraf berikut."]
    assert not removed


def test_lone_punctuation_at_start_is_reported() -> None:
    lines, removed = split_lines(".\nKalimat.")
    assert [line.text for line in lines] == ["Kalimat."] and removed[0].rule == "normalise/stray-punctuation"


def test_doubled_full_stop_is_collapsed() -> None:
    lines, _ = split_lines("Ia melintasi perbatasan dua kali. .")
    assert lines[0].text == "Ia melintasi perbatasan dua kali."


def test_line_numbers_survive_normalisation() -> None:
    lines, _ = split_lines("a\n\n\n\nb")
    assert [(line.number, line.text) for line in lines] == [(1, "a"), (2, ""), (5, "b")]


# -- detect ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites() -> list:
    return [r for r in load_rules() if r.kind == "site"]


def test_host_of() -> None:
    assert host_of("https://www.Republika.co.id/berita/x") == "republika.co.id"
    assert host_of("republika.co.id/berita") == "republika.co.id"
    assert host_of(None) is None and host_of("http://[bad") is None


def test_site_by_domain_and_subdomain(sites: list) -> None:
    assert site_for_url("https://news.republika.co.id/berita/1", sites).id == "republika"
    assert site_for_url("https://www.dw.com/id/x/a-1", sites).id == "dw"
    assert site_for_url("https://notrepublika.co.id/x", sites) is None


def test_site_by_signature(sites: list) -> None:
    assert site_for_text("Judul\nREPUBLIKA.CO.ID, JAKARTA -- Isi.", sites).id == "republika"
    assert site_for_text("Kalimat biasa tanpa tanda situs.", sites) is None


def _earliest_signature(text: str, sites: list) -> str | None:
    """Every signature searched on the whole page, the earliest match winning (the first of equals)."""
    best = None
    for site in sites:
        for signature in site.signatures:
            found = signature.search(text)
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), site.id)
    return best[1] if best else None


def test_signatures_read_in_one_pass_pick_what_searching_every_one_picks(sites: list) -> None:
    """The automaton of the signatures' words only spares searches: on every page at hand (and on two
    sites' signatures in one page, the earlier winning) the site is the one a search of each would find."""
    from pathlib import Path

    index = SiteSignatures.build(sites)
    root = Path(__file__).resolve().parents[2]
    pages = [p.read_text(encoding="utf-8") for p in sorted((root / "fixtures").rglob("*.txt"))]
    pages += ["Judul\nREPUBLIKA.CO.ID, JAKARTA -- Isi.\nJAKARTA, KOMPAS.com - Isi lain.",
              "JAKARTA, KOMPAS.com - Isi.\nREPUBLIKA.CO.ID, JAKARTA -- Isi lain."]
    found = [index.site_for_text(page) for page in pages]
    assert [site.id if site else None for site in found] == [_earliest_signature(page, sites) for page in pages]
    assert sum(site is not None for site in found) > 10
    assert [site.id for site in found[-2:] if site] == ["republika", "kompas"]


# -- metadata helpers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("05 - Sep - 2023, 19:15", "2023-09-05T19:15"),
        ("5 September 2023", "2023-09-05"),
        ("Selasa, 12 Sep 2023 14:05 WIB", "2023-09-12T14:05+07:00"),
        ("Jum'at, 01 Mei 2020 - 23:15 WIB", "2020-05-01T23:15+07:00"),
        ("4 Juni 2025 | 11.00 WIB", "2025-06-04T11:00+07:00"),
        ("Senin 11 Mei 2020 20:39 WITA", "2020-05-11T20:39+08:00"),
        ("12 Okt 2016, 09:15 WIT", "2016-10-12T09:15+09:00"),
        ("12 Sep", None),
        ("tidak ada tanggal", None),
    ],
)
def test_parse_published(printed: str, iso: str | None) -> None:
    assert parse_published(printed) == iso


def test_split_names() -> None:
    assert split_names("Binti Nikmatur - Ghiska Ayu") == ["Binti Nikmatur", "Ghiska Ayu"]
    assert split_names("Andi, Budi dan Citra") == ["Andi", "Budi", "Citra"]
    assert split_names("aik/maa") == []


def test_title_case_dateline() -> None:
    assert title_case("BANDA ACEH") == "Banda Aceh"
    assert title_case("Moskow") == "Moskow"


# -- tidy -----------------------------------------------------------------------------------------------------


NO_SPLITS = RuleIndex.build([])


def test_tidy_drops_punctuation_only_lines_and_reports_them() -> None:
    doc = tidy(Document(id="x", text="", lines=(Line(1, "Isi."), Line(2, ""), Line(3, "-----"))), NO_SPLITS)
    assert [line.text for line in doc.lines] == ["Isi."]
    assert doc.removed[0].rule == "tidy/no-words"


def test_metadata_only_strip_reads_bylines_and_datelines_but_leaves_the_body_edges() -> None:
    from cleaner import Cleaner
    from cleaner.stages.normalise import normalise
    from cleaner.stages.strip import strip_chrome

    cleaner = Cleaner()
    text = "\n".join([
        "Penulis: Rina Susanti",
        "JAKARTA, KOMPAS.com - Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini.",
        "Kebijakan itu mulai berlaku bulan depan dan mencakup seluruh provinsi di Indonesia, kata menteri.",
        "Alpha Beta", "Gamma Delta", "Epsilon Zeta",
    ])
    doc = normalise(Document(id="p", text=text))
    full = strip_chrome(doc, None, cleaner.plan(None))
    read = strip_chrome(doc, None, cleaner.plan(None), metadata_only=True)
    for result in (full, read):
        fields = {capture.field: capture.value for capture in result.captures}
        assert fields.get("authors") == "Rina Susanti" and fields.get("dateline") == "JAKARTA"
    assert "Gamma Delta" not in [line.text for line in full.lines]  # the full strip shapes the body
    assert "Gamma Delta" in [line.text for line in read.lines]  # metadata_only leaves it


def test_a_page_with_an_unknown_outlets_url_is_not_given_a_site_by_its_text(cleaner) -> None:  # type: ignore[no-untyped-def]
    """Without a URL a page's signature picks its site; with a URL the host decides, and another outlet's
    page quoting a known outlet's dateline is no page of that outlet."""
    page = ("Judul Berita Tentang Harga Beras\n\nJAKARTA, KOMPAS.com - Harga beras di Pasar Induk Cipinang naik dua "
            "ribu rupiah per kilogram sepanjang pekan ini, kata pedagang.")
    assert cleaner.clean(page).site == "kompas"
    assert cleaner.clean(page, url="https://www.example-news.id/berita/1").site is None
    assert cleaner.clean(page, url="https://regional.kompas.com/read/1").site == "kompas"
