"""The segment stage: where a line is cut into units, and where it must not be."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.document import Line
from cleaner.stages.segment import join_units, segment_lines


@pytest.fixture(scope="module")
def splits(cleaner: Cleaner):  # type: ignore[no-untyped-def]
    return cleaner.plan(None).splits


def units(splits, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [u.text for u in segment_lines([Line(1, text)], splits)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Jalan ditutup.Bahkan warga kesal.", ["Jalan ditutup.", "Bahkan warga kesal."]),
    ("Jalan ditutup. Bahkan warga kesal.", ["Jalan ditutup.", "Bahkan warga kesal."]),
    ("anggota baru dilantik.,Baru sepekan dilantik.", ["anggota baru dilantik.", "Baru sepekan dilantik."]),
    ("Ulang tahunnya yang ke 30. Lebih dari 100 orang datang.", ["Ulang tahunnya yang ke 30.", "Lebih dari 100 orang datang."]),
    ("Berikut permohonannya: 1. Menerima semua. 2. Menolak eksepsi.",
     ["Berikut permohonannya: 1. Menerima semua.", "2. Menolak eksepsi."]),
    ("Harga naik.ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT Warga mengeluh.",
     ["Harga naik.", "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", "Warga mengeluh."]),
    ("berbahaya.Baca Juga:Judul Satu LainJudul Dua LainBahkan, pada malam hari.",
     ["berbahaya.", "Baca Juga:", "Judul Satu Lain", "Judul Dua Lain", "Bahkan, pada malam hari."]),
])
def test_boundaries_scrapers_destroyed(splits, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert units(splits, text) == expected


@pytest.mark.parametrize("text", [
    "Kantor itu di Jl.Sudirman nomor lima.", "Ia bertemu Prof. Dr. Hasan Basri di kampus.",
    "Penulisnya Annesa K. Ramadhany dari Jakarta.", "Harganya Rp5.000 per ikat.", "Buka detik.com setiap pagi.",
    "Gelar S.H. Diberikan kemarin.", "1. Menerima permohonan.", "Warga diminta baca juga aturannya.",
    "Baca juga buku panduan yang dibagikan panitia.", "Komisi Pemberantasan Korupsi (KPK) menahan tersangka.",
])
def test_no_boundary_inside_abbreviations_numbers_and_sentences(splits, text: str) -> None:  # type: ignore[no-untyped-def]
    assert units(splits, text) == [text]


def test_units_keep_column_part_and_glue(splits) -> None:  # type: ignore[no-untyped-def]
    first, second = segment_lines([Line(7, "Jalan ditutup.Bahkan warga kesal.")], splits)
    assert (first.number, first.column, first.part, first.glue) == (7, 0, 0, None)
    assert (second.number, second.column, second.part, second.glue) == (7, 14, 1, "")


def test_kept_units_are_joined_back_as_the_input_had_them(cleaner: Cleaner) -> None:
    text = "Jalan ditutup sejak pagi tadi oleh petugas.Bahkan warga kesal menunggu lama di simpang itu."
    assert cleaner.clean(text).text == text


def test_a_removed_unit_is_reported_at_its_column(cleaner: Cleaner) -> None:
    text = "Harga beras naik lagi minggu ini di pasar.ADVERTISEMENT Warga mengeluh soal harga beras di pasar induk."
    result = cleaner.clean(text)
    assert result.paragraphs == ["Harga beras naik lagi minggu ini di pasar.",
                                 "Warga mengeluh soal harga beras di pasar induk."]
    [removal] = [r for r in result.removed if r.text == "ADVERTISEMENT"]
    assert text[removal.column:].startswith("ADVERTISEMENT")


def test_units_a_headline_run_parted_are_joined_only_where_they_part_again(splits) -> None:  # type: ignore[no-untyped-def]
    # After "Baca Juga:" the segment stage parts a run of headlines from the sentence that follows; with the
    # marker gone, the same text is one unit. Kept as cut next to each other, they are joined only where
    # reading the joined text again parts them there: a sentence end does, a headline cut does not.
    line = "Kabar lama.Baca Juga:Harga Naik Tajam Lagi Hari Ini Warga kesal menunggu di pasar."
    kept = [u for u in segment_lines([Line(1, line)], splits) if u.text != "Baca Juga:"]
    assert kept[-1].cut is not None  # parted by the headline run, not by a sentence end
    rows = [(u.number, u.part, u.glue, u.text, True, u.cut) for u in kept]
    paragraphs = [text for _, text in join_units(rows, lambda text: True, splits)]
    assert paragraphs == ["Kabar lama.", "Harga Naik Tajam Lagi Hari Ini", "Warga kesal menunggu di pasar."]
    sentences = [(1, 0, None, "Jalan ditutup.", True, None), (1, 1, "", "Bahkan warga kesal.", True, None)]
    assert [text for _, text in join_units(sentences, lambda text: True, splits)] == ["Jalan ditutup.Bahkan warga kesal."]


def test_html_is_not_segmented(cleaner: Cleaner) -> None:
    page = "<html><body><article><p>Jalan ditutup sejak pagi tadi oleh petugas dinas.Bahkan warga kesal menunggu lama.</p></article></body></html>"
    assert "dinas.Bahkan" in cleaner.clean(page, format="html").text


def test_repeated_blocks_of_nested_scraping_go_once(cleaner: Cleaner) -> None:
    a = "Pemerintah kota meresmikan taman baca baru di pusat kota pada Senin sore bersama pegiat literasi."
    b = "Taman itu menyediakan lebih dari tiga ribu buku anak yang bisa dibaca gratis setiap hari."
    page = "\n\n".join([f"{a} {b}", a, b])
    assert cleaner.clean(page).paragraphs == [f"{a} {b}"]


def test_a_question_put_to_each_guest_is_no_repeat(cleaner: Cleaner) -> None:
    question = "Apa makanan kesukaan Anda dan mengapa Anda menyukainya sejak kecil dulu?"
    page = ["Kami bertanya kepada tiga warga tentang makanan kesukaan mereka di pasar ini.", question,
            "Budi: Saya suka rendang buatan ibu saya sejak kecil di kampung halaman.", question,
            "Ani: Saya suka soto ayam yang dijual di dekat rumah setiap pagi hari."]
    assert cleaner.clean("\n\n".join(page)).paragraphs == page


def test_a_caption_printed_first_leaves_at_the_dateline(cleaner: Cleaner) -> None:
    caption = "Warga mengantre minyak goreng murah di Pasar Senen, Jakarta Pusat, Jumat (3/5/2024)."
    lead = "Pemerintah menggelar operasi pasar minyak goreng di 20 titik mulai pekan ini."
    result = cleaner.clean(f"{caption} JAKARTA, KOMPAS.com - {lead}")
    assert result.text == lead and result.dateline == "Jakarta"


def test_a_lead_ending_in_a_date_is_no_caption(cleaner: Cleaner) -> None:
    lead = "Pemerintah menggelar operasi pasar di Jakarta, Jumat (3/5/2024)."
    rest = "Harga yang dipatok Rp 14.000 per liter berlaku untuk semua warga yang datang."
    assert cleaner.clean(f"JAKARTA - {lead} {rest}").text == f"{lead} {rest}"


@pytest.mark.parametrize("given", [None, "Apa Itu Operasi Pasar? Ini Penjelasannya"])
def test_a_headline_the_segment_stage_cut_at_its_question_mark_is_read_whole(cleaner: Cleaner, given: str | None) -> None:
    body = ["Pemerintah menggelar operasi pasar minyak goreng di 20 titik mulai pekan ini untuk menekan harga.",
            "Harga yang dipatok Rp 14.000 per liter berlaku untuk semua warga yang datang ke lokasi."]
    page = "\n".join(["Apa Itu Operasi Pasar? Ini Penjelasannya - Kabar Kota", "Menu Berita Olahraga",
                      "Apa Itu Operasi Pasar? Ini Penjelasannya", *body])
    result = cleaner.clean(page, title=given)
    assert result.title == "Apa Itu Operasi Pasar? Ini Penjelasannya" and result.paragraphs == body
