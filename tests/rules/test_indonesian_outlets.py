"""Indonesian outlets and scrapers the rules were not written with (issue 31): each class of chrome on a line
of its own and glued into one-line text, and its negative twin (prose that must stay)."""

from __future__ import annotations

import pytest

from cleaner import Cleaner

P1 = "Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat selama dua pekan hingga akhir bulan ini."
P2 = "Wali Kota mengatakan angka penularan di wilayahnya belum turun secara konsisten dalam dua pekan terakhir."
P3 = "Selama perpanjangan, pasar tradisional hanya boleh buka sampai pukul dua siang dan pengunjung wajib bermasker."


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def _lines(*lines: str) -> str:
    return "\n\n".join(lines)


@pytest.mark.parametrize("chrome", [
    "None",                                   # a paragraph the scraper lost, written as Python's None
    "Halaman 2 dari 2",                       # two pages of one article joined
    "(*) Isi komentar sepenuhnya menjadi tanggung jawab pengguna dan diatur dalam UU ITE.",
    "Perbesar",                               # an image viewer's button
    "Grafis: Tim Redaksi",                    # a graphic's credit
    "Baca: Harga Cabai Naik Jelang Lebaran",  # "Baca:" without "juga"
])
def test_each_class_leaves_on_its_own_line(cleaner: Cleaner, chrome: str) -> None:
    text = cleaner.clean(_lines(P1, chrome, P2, P3), format="text").text
    assert chrome not in text
    assert all(p in text for p in (P1, P2, P3))


@pytest.mark.parametrize("prose", [
    "Menurut dia, none of the above bukan pilihan yang tersedia di kertas suara pemilihan kali ini.",
    "Halaman 2 dari laporan itu memuat daftar nama pejabat yang diperiksa oleh penyidik kemarin.",
    "Warga juga diminta tidak menulis komentar yang menyinggung suku, agama, dan ras di media sosial.",
    "Petugas meminta warga memperbesar jarak antrean agar tidak terjadi kerumunan di pintu masuk pasar.",
    "Warga diminta baca aturan terbaru yang dipasang di papan pengumuman kelurahan sebelum berbelanja.",
])
def test_the_negative_twins_stay(cleaner: Cleaner, prose: str) -> None:
    text = cleaner.clean(_lines(P1, prose, P2), format="text").text
    assert prose in text


def test_credit_labels_glued_to_the_names_before_them_part(cleaner: Cleaner) -> None:
    result = cleaner.clean(_lines(P1, P2, P3, "Pewarta: Budi SantosoEditor: Andi Wijaya"), format="text")
    assert "Pewarta" not in result.text and "Editor" not in result.text
    assert result.authors == ["Budi Santoso"] and result.editors == ["Andi Wijaya"]


def test_baca_label_glued_into_one_line_text_leaves_with_its_headline(cleaner: Cleaner) -> None:
    page = P1 + "Baca: Harga Cabai Naik Jelang Lebaran" + P2 + " " + P3
    text = cleaner.clean(page, format="text").text
    assert "Harga Cabai" not in text and P1 in text and P3 in text


def test_a_family_site_names_each_member_outlet(cleaner: Cleaner) -> None:
    page = _lines("BANGKAPOS.COM, PANGKALPINANG - " + P1, P2, P3)
    member = cleaner.clean(page, url="https://bangka.tribunnews.com/2024/01/02/judul", format="text")
    assert member.site == "tribunnews" and member.outlet in ("BANGKAPOS.COM", "bangka.tribunnews.com")
    plain = cleaner.clean(_lines(P1, P2, P3), url="https://manado.tribunnews.com/2024/01/02/judul", format="text")
    assert plain.outlet == "manado.tribunnews.com"
    own = cleaner.clean(_lines(P1, P2, P3), url="https://www.tribunnews.com/2024/01/02/judul", format="text")
    assert own.outlet == "Tribunnews.com"
    # a site that is no family keeps its name on its section subdomains
    section = cleaner.clean(_lines(P1, P2, P3), url="https://tekno.liputan6.com/read/123/judul", format="text")
    assert section.outlet == "Liputan6.com"


RESULTS = ["1. Marc Marquez - Ducati Lenovo - 40:12.345", "2. Francesco Bagnaia - Ducati Lenovo - +2.104",
           "3. Jorge Martin - Aprilia - +5.873", "4. Pedro Acosta - KTM - +7.120"]


def test_a_results_list_whose_heading_was_lost_stays(cleaner: Cleaner) -> None:
    page = _lines("Menu", "Berita", P1, P2, *RESULTS, "Tentang Kami", "Kontak", "Karir")
    text = cleaner.clean(page, format="text").text
    assert all(row in text for row in RESULTS)
    assert "Tentang Kami" not in text and "Karir" not in text


def test_a_numbered_list_of_headlines_after_the_article_still_leaves(cleaner: Cleaner) -> None:
    teasers = ["1. Harga Cabai Naik Jelang Lebaran", "2. Banjir Rendam Tiga Desa di Bekasi",
               "3. Jalan Tol Baru Dibuka Pekan Depan"]
    text = cleaner.clean(_lines(P1, P2, P3, *teasers, "Kontak"), format="text").text
    assert not any(teaser in text for teaser in teasers)


@pytest.mark.parametrize(("byline", "authors", "editors", "dateline"), [
    ("Laporan Reporter Tribun Jambi, Rohmayana TRIBUNJAMBI.COM, JAMBI - ", ["Rohmayana"], [], "Jambi"),
    ("Reporter: Budi Santoso | Editor: Andi Wijaya KONTAN.CO.ID - JAKARTA. ", ["Budi Santoso"], ["Andi Wijaya"],
     "Jakarta"),
])
def test_regional_bylines_glued_before_the_dateline(cleaner: Cleaner, byline: str, authors: list[str],
                                                     editors: list[str], dateline: str) -> None:
    result = cleaner.clean(_lines(byline + P1, P2), format="text")
    assert result.text.startswith(P1)
    assert result.authors == authors and result.editors == editors and result.dateline == dateline


def test_a_source_and_editor_line_credits_the_source_as_agency(cleaner: Cleaner) -> None:
    result = cleaner.clean(_lines("Sumber: Kompas.com | Editor: Andi Wijaya", P1, P2), format="text")
    assert result.authors == [] and result.editors == ["Andi Wijaya"] and result.agency == "Kompas.com"
    assert result.text.startswith(P1)


def test_a_desk_and_code_credit_closes_the_article(cleaner: Cleaner) -> None:
    for page in (_lines(P1, P2 + " (ABC/Z-7)", "Berita Terkait Lainnya"), _lines(P1, P2, "(ABC/Z-7)", "Harga Cabai")):
        result = cleaner.clean(page, format="text")
        assert result.text == _lines(P1, P2) and result.credits == ["ABC", "Z-7"]
    kept = "Kasus itu ditangani Polres Metro (PMJ/A-12) sejak pekan lalu dan berkasnya sudah lengkap."
    assert kept in cleaner.clean(_lines(P1, kept, P2), format="text").text


# -- agency layouts: a pull-quote glued before the dateline, live-stream promos, reuse notices -------------------

AGENCY_BODY = ("Pemerintah Provinsi Sumatera Barat menyalurkan bantuan logistik kepada warga terdampak banjir di "
               "Kabupaten Pesisir Selatan, Senin.")
AGENCY_MORE = "Gubernur mengatakan penyaluran bantuan akan terus dilakukan hingga kondisi warga pulih sepenuhnya."
PULL_QUOTE = "Kami akan memastikan seluruh bantuan tersalurkan tepat waktu kepada warga terdampak banjir"


@pytest.mark.parametrize("quote", [f'"{PULL_QUOTE}"', f"“{PULL_QUOTE},” kata Gubernur. ", f'"{PULL_QUOTE}" '])
def test_a_pull_quote_glued_before_the_agency_dateline_leaves(cleaner: Cleaner, quote: str) -> None:
    for joint in ("\n\n", " "):
        result = cleaner.clean(quote + "Padang (ANTARA) - " + AGENCY_BODY + joint + AGENCY_MORE, format="text")
        assert result.text == AGENCY_BODY + joint + AGENCY_MORE, (quote, result.text)
        assert result.dateline == "Padang"


def test_a_quote_opening_the_article_after_its_dateline_stays(cleaner: Cleaner) -> None:
    """Negative twin: a quotation after the dateline is the article's first sentence."""
    first = f'"{PULL_QUOTE}," kata Gubernur di Padang, Senin.'
    result = cleaner.clean("Padang (ANTARA) - " + first + " " + AGENCY_MORE, format="text")
    assert result.text == first + " " + AGENCY_MORE


@pytest.mark.parametrize("promo", ["Simak berita selengkapnya di YouTube ANTARA secara live.",
                                   "Saksikan siaran langsungnya di kanal YouTube Kompas TV.",
                                   "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk "
                                   "AI di situs web ini tanpa izin tertulis dari Kantor Berita ANTARA."])
def test_live_stream_promos_and_reuse_notices_leave(cleaner: Cleaner, promo: str) -> None:
    for joint in ("\n\n", " "):
        result = cleaner.clean(AGENCY_BODY + "\n\n" + AGENCY_MORE + joint + promo, format="text")
        assert result.text == AGENCY_BODY + "\n\n" + AGENCY_MORE, (promo, joint, result.text)


def test_watching_live_in_a_sentence_stays(cleaner: Cleaner) -> None:
    sentence = ("Warga dapat menyaksikan upacara itu secara langsung dari alun-alun, dan panitia menyediakan layar "
                "besar bagi yang tidak kebagian tempat.")
    assert sentence in cleaner.clean(AGENCY_BODY + "\n\n" + sentence, format="text").text


# -- site footers, bare labels ------------------------------------------------------------------------------------

FOOTER_LINKS = ["Tentang Kami", "Redaksi", "Pedoman Media Siber", "Kode Etik Jurnalistik", "Kontak", "Karir",
                "Info Iklan", "Kebijakan Privasi",
                "PT Kedaulatan Rakyat, Jalan Margo Utomo 40-42, Yogyakarta. Telepon (0274) 565685.",
                "Copyright © 2024 KRjogja.com. All Rights Reserved."]


def test_a_multi_line_site_footer_leaves(cleaner: Cleaner) -> None:
    page = "\n\n".join(["Judul Berita Harga Beras", AGENCY_BODY, AGENCY_MORE, *FOOTER_LINKS])
    assert cleaner.clean(page, format="text").text == AGENCY_BODY + "\n\n" + AGENCY_MORE


def test_a_site_footer_glued_to_a_one_line_article_leaves(cleaner: Cleaner) -> None:
    page = " ".join([AGENCY_BODY, AGENCY_MORE, *FOOTER_LINKS])
    assert cleaner.clean(page, format="text").text == AGENCY_BODY + " " + AGENCY_MORE


@pytest.mark.parametrize("sentence", [
    "Dewan Pers menerbitkan Pedoman Media Siber pada 2012 untuk mengatur pemberitaan daring.",
    "Pedoman Media Siber mewajibkan setiap media daring mencantumkan waktu pemuatan berita.",
])
def test_a_sentence_about_the_press_guideline_stays(cleaner: Cleaner, sentence: str) -> None:
    for joint in ("\n\n", " "):
        text = cleaner.clean(AGENCY_BODY + joint + sentence + joint + AGENCY_MORE, format="text").text
        assert sentence in text and AGENCY_MORE in text, (joint, text)


def test_a_bare_related_label_left_inside_a_sentence_leaves(cleaner: Cleaner) -> None:
    glued = AGENCY_BODY.replace("logistik kepada", "logistik Baca Juga kepada")
    assert cleaner.clean(glued + " " + AGENCY_MORE, format="text").text == AGENCY_BODY + " " + AGENCY_MORE
    prose = "Para pelajar diminta baca juga buku panduan yang diedarkan oleh pihak sekolah minggu lalu."
    assert prose in cleaner.clean(AGENCY_BODY + " " + prose, format="text").text


def test_paragraphs_joined_by_commas_lose_the_joints(cleaner: Cleaner) -> None:
    """A Scrapy CSV export of a list of paragraphs: "... Senin.,Gubernur ...". The joint becomes a space (the
    lines stay the input's); a comma with a space after it, as prose writes one, stays."""
    quote = '"Bantuan tersebut berupa beras, minyak goreng, dan selimut," katanya.'
    joined = AGENCY_BODY + "," + AGENCY_MORE + "," + quote
    assert cleaner.clean(joined, format="text").text == " ".join([AGENCY_BODY, AGENCY_MORE, quote])
    assert cleaner.clean(AGENCY_BODY + "\n," + AGENCY_MORE, format="text").text == AGENCY_BODY + "\n\n" + AGENCY_MORE
    prose = 'Harga naik di U.S., Canada dan Meksiko pada tahun ini, "Ya," kata menteri itu di Jakarta, Senin.'
    assert cleaner.clean(AGENCY_BODY + " " + prose, format="text").text == AGENCY_BODY + " " + prose
