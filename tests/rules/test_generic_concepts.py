"""The generic rules, concept by concept: chrome that must leave, and sentences that must stay.

Every page here is from an outlet with no site rule (no URL, no signature), so only `rules/generic/`
and the structure step act. Chrome is put where structure alone would keep it (a single line between
two paragraphs, or a prefix of the first paragraph), so each positive case fails without its rule.
"""

from __future__ import annotations

import pytest

from cleaner import Cleaner

TITLE = "Harga Beras Naik Jelang Akhir Tahun di Pasar Induk Cipinang"
P1 = "Harga beras di Pasar Induk Cipinang naik dua ribu rupiah per kilogram sepanjang pekan ini."
P2 = "Pedagang menyebut pasokan dari Jawa Tengah berkurang karena panen yang mundur hampir sebulan."
P3 = "Dinas Perdagangan berjanji menggelar operasi pasar di lima kecamatan mulai Senin depan."
P4 = "Warga berharap harga kembali turun sebelum perayaan Natal dan Tahun Baru tiba."
BODY = [P1, P2, P3, P4]


@pytest.fixture(scope="module")
def generic() -> Cleaner:
    return Cleaner()


def with_chrome_inside(*chrome: str) -> str:
    """A page whose chrome lines sit between the second and third paragraph."""
    return "\n\n".join([TITLE, P1, P2, *chrome, P3, P4])


def assert_body_intact(paragraphs: list[str]) -> None:
    for sentence in BODY:
        assert sentence in paragraphs, f"lost body paragraph: {sentence!r}"


# -- chrome lines between paragraphs ------------------------------------------------------------------------------

CHROME_LINES = {
    "related links": [
        "Baca juga: Warga Antre Minyak Goreng Murah di Bekasi",
        "Baca Juga : Warga Antre Minyak Goreng Murah di Bekasi",
        "BACA JUGA - Warga Antre Minyak Goreng Murah di Bekasi",
        "Baca juga:Warga Antre Minyak Goreng Murah",
        "baca juga | Warga Antre Minyak Goreng Murah",
        "Simak juga: Video Banjir Rendam Kemang",
        'Simak Video "Banjir Rendam Kemang Sejak Pagi"',
        "Lihat juga Video: Detik-detik Banjir Rendam Kemang",
        "Tonton juga: Banjir Rendam Kemang",
        "You may also like:", "DON'T MISS", "Most read in world news", "More:", "Related stories",
        "Les også: Tone Damli ofret musikkarrieren for barna", "Läs också: Polisen larmar om bedrägerier",
        "Lesen Sie auch: Was der neue Haushalt bedeutet", "À lire aussi : La réforme des retraites",
        "Leggi anche: Meloni incontra Trump", "Czytaj także: Co dalej z rozmowami?", "Also read: Markets fall",
    ],
    "ads": ["ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT",
            "Advertisement", "Iklan", "IKLAN", "$$ARTICLEAD$$", "%%AD_SLOT_2%%"],
    "embeds": [
        "[Gambas:Video 20detik]", "[Gambas:Video CNN]", "[Gambas:Instagram]", "[Gambas:Twitter]",
        "[Gambas:Youtube]", "View this post on Instagram", "A post shared by Dinas Perdagangan DKI (@dagangdki)",
        "This browser does not support the video element.", "04:10",
        "02:57 Min.. Verfügbar bis 06.05.2024.", "Link zum YouTube-Inhalt",
    ],
    "promos": [
        "Ikuti Whatsapp Channel Republika",
        "Gabung ke saluran WhatsApp kami untuk kabar terbaru",
        "Saksikan Live DetikSore:",
        "Saksikan live streaming program berita di sini",
        "Selengkapnya klik di sini",
        "Berita ini sudah lebih dulu tayang di Kompas.id. Selengkapnya klik disini",
        "Sign up for The Morning Brief newsletter and get the day's news in your inbox.",
        "Subscribe to our free daily newsletter",
        "This copy is for your personal, non-commercial use only. To order presentation-ready copies, visit us.",
        'Mari bergabung di Grup Telegram "Kabar Kota Update", caranya klik link https://t.me/kabarkota, kemudian join.',
        "Anda harus install aplikasi Telegram terlebih dulu di ponsel.",
        "Simak breaking news dan berita pilihan kami langsung di ponselmu.",
        "Pilih saluran andalanmu akses berita Kabar Kota WhatsApp Channel : https://www.whatsapp.com/channel/0029Va",
        "Pastikan kamu sudah install aplikasi WhatsApp ya.",
        "Baca berita selengkapnya di sini.",
        "Artikel ini pertama kali terbit dalam bahasa Inggris",
        'Baca artikel detiknews, "Operasi Pasar Digelar di 20 Titik" selengkapnya https://news.detik.com/berita/d-7000/a',
        "Download Apps Detikcom Sekarang https://apps.detik.com/detik/",
        "Simak berita lainnya seputar topik artikel ini, di sini: Cek Berita dan Artikel yang lain di Google News",
    ],
    "bylines": [
        "Penulis: Andi Saputra", "Editor: Budi Santoso", "Reporter: Citra Lestari", "Pewarta: Dedi Kurnia",
        "Redaktur: Eka Putri", "Oleh : Fajar Nugroho", "(Penulis: Andi Saputra | Editor: Budi Santoso)",
        "(Reporter: Citra Lestari | Editor: Budi Santoso)", "Penulis : Andi Saputra - Citra Lestari - Editor : Budi Santoso",
        "Laporan Wartawan Tribunnews.com, Reza Deni", "Laporan Reza Deni | Jakarta", "Sumber: Antara",
        "kp/rs (Reuters)",
    ],
    "captions": [
        "Foto: Dok. Humas Pemprov DKI",
        "Pedagang menata karung beras di Pasar Induk Cipinang, Jakarta. (Foto: Rizky/Okezone)",
        "Pedagang menata karung beras di Pasar Induk Cipinang, Jakarta. (ANTARA FOTO/Hafidz Mubarak)",
        "KOMPAS.com/NABILLA TASHANDRA Pedagang menata karung beras di Pasar Induk Cipinang, Jakarta.",
        "Pedagang menata karung beras di Pasar Induk Cipinang. (TRIBUNNEWSWIKI.COM/RIZKY SAPUTRA)",
        "Pedagang menata karung beras di Pasar Induk Cipinang, Jakarta. \u00a9 KapanLagi.com",
        "(Dari kiri ke kanan) Kepala Dinas Perdagangan dan Wali Kota meninjau gudang beras di Cipinang.",
    ],
    "pagination": ["Halaman 1 2 Selanjutnya", "Simak selengkapnya pada halaman berikut", "Load More",
                   "Halaman Selanjutnya", "1 2 3 Next"],
    "tags, share, comments": ["Tags:", "Topik", "# harga beras", "Bagikan", "0 SHARE", "Komentar",
                              "Scroll to Top", "Redaksi: redaksi[at]detik.com", "Share this article",
                              "Like this story? Share it with a friend!", "Enjoyed this article? Share it",
                              "Tell us what YOU think...", "Leave a comment", "5 min read", "Waktu baca: 2 menit",
                              "Filed under: Politics, Elections"],
    "dates": ["Updated at 1:23 p.m.", "Diperbarui 12 Mei 2024, 10:00 WIB", "Stand: 22.04.2024, 06:00 Uhr",
              "Aktualisiert am 07.01.2026 - 18:50 Uhr"],
    "navigation": ["Buka konten", "Lewatkan bagian berikutnya", "Skip to main content", "Home > Ekonomi > Pangan",
                   "Masuk", "Daftar", "Login / Register"],
}


@pytest.mark.parametrize(
    "chrome", [pytest.param(line, id=f"{concept}: {line[:40]}") for concept, lines in CHROME_LINES.items()
               for line in lines]
)
def test_chrome_line_inside_the_body_leaves(generic: Cleaner, chrome: str) -> None:
    result = generic.clean(with_chrome_inside(chrome))
    assert chrome not in result.text
    assert_body_intact(result.paragraphs)
    assert result.removed, "a removal must be reported"


def test_bare_related_heading_takes_its_headlines(generic: Cleaner) -> None:
    for heading in ("Baca Juga", "BACA JUGA:", "Berita Terkait", "Artikel Terkait", "JANGAN LEWATKAN!!!",
                    "Berita Lainnya", "Berita Rekomendasi", "Terpopuler"):
        headlines = ["Warga Antre Minyak Goreng Murah di Bekasi", "Selena Gomez Saat Masih Berusia 7 Tahun, Bikin Gemas!"]
        result = generic.clean(with_chrome_inside(heading, *headlines))
        assert result.paragraphs == BODY, heading


# -- chrome glued inside a paragraph ------------------------------------------------------------------------------

GLUED = [
    # Chrome between two sentences leaves a paragraph break where it was ...
    ("Harga beras naik lagi di semua pasar pekan ini. ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT Warga mengeluh "
     "soal harga beras di pasar induk.",
     ["Harga beras naik lagi di semua pasar pekan ini.", "Warga mengeluh soal harga beras di pasar induk."]),
    # ... unless a side is too short to stand as a paragraph (cleaning the output again would drop it).
    ("Harga naik. ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT Warga mengeluh soal harga di pasar.",
     ["Harga naik. Warga mengeluh soal harga di pasar."]),
    ("Harga naik tajam (Baca juga: Warga Antre Minyak Goreng) sejak pekan lalu di semua pasar.",
     ["Harga naik tajam sejak pekan lalu di semua pasar."]),
    ("Harga naik tajam sejak pekan lalu di semua pasar. [Gambas:Video 20detik]",
     ["Harga naik tajam sejak pekan lalu di semua pasar."]),
]


@pytest.mark.parametrize(("paragraph", "cleaned"), GLUED)
def test_chrome_glued_inside_a_paragraph_is_cut(generic: Cleaner, paragraph: str, cleaned: list[str]) -> None:
    result = generic.clean("\n\n".join([TITLE, P1, paragraph, P3]))
    assert result.paragraphs[1:-1] == cleaned


# -- datelines ----------------------------------------------------------------------------------------------------

DATELINES = [
    ("JAKARTA, KOMPAS.com -", "Jakarta"), ("JAKARTA, KOMPAS.com \u2014", "Jakarta"),
    ("Liputan6.com, Jakarta -", "Jakarta"), ("TRIBUNNEWS.COM, JAKARTA -", "Jakarta"),
    ("SERAMBINEWS.COM, BANDA ACEH -", "Banda Aceh"), ("REPUBLIKA.CO.ID, CIREBON--", "Cirebon"),
    ("TEMPO.CO, Jakarta -", "Jakarta"), ("Jakarta, CNN Indonesia --", "Jakarta"),
    ("Mataram (ANTARA News) -", "Mataram"), ("JAKARTA -", "Jakarta"), ("JAKARTA\u2013", "Jakarta"),
    ("Kapanlagi.com -", None), ("VIVA.co.id -", None),
]


@pytest.mark.parametrize(("prefix", "place"), DATELINES)
def test_dateline_opening_the_first_paragraph_leaves(generic: Cleaner, prefix: str, place: str | None) -> None:
    result = generic.clean("\n\n".join([TITLE, f"{prefix} {P1}", P2, P3]))
    assert result.paragraphs[0] == P1
    assert result.dateline == place


def test_glued_dateline_without_dash(generic: Cleaner) -> None:
    result = generic.clean("\n\n".join([TITLE, "Liputan6.com, Jakarta" + P1, P2, P3]))
    assert result.paragraphs[0] == P1
    assert result.dateline == "Jakarta"


# -- sign-offs and closing promos end the article ----------------------------------------------------------------

TEASER = "Pemerintah memastikan stok beras nasional aman hingga pertengahan tahun depan, kata Menteri."

END_MARKERS = [
    "(aik/maa)", "(kpl/sry)", "(Cas/Isk)", "(FHM)", "(H-4)",
    "Artikel ini telah tayang di Tribunnews.com dengan judul Harga Beras Naik Jelang Akhir Tahun",
    "Artikel ini telah naik di detikFinance.",
    "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.",
    "Cek berita dan artikel yang lain di Google News",
]


@pytest.mark.parametrize("marker", END_MARKERS)
def test_sign_off_ends_the_article(generic: Cleaner, marker: str) -> None:
    result = generic.clean("\n\n".join([TITLE, *BODY, marker, "Harga Cabai Ikut Naik", TEASER]))
    assert result.paragraphs == BODY


def test_desk_code_glued_to_the_last_paragraph(generic: Cleaner) -> None:
    result = generic.clean("\n\n".join([TITLE, P1, P2, P3 + " (H-4)", "Harga Cabai Ikut Naik", TEASER]))
    assert result.paragraphs == [P1, P2, P3]
    assert "H-4" in result.credits


def test_byline_below_the_sign_off_is_still_read(generic: Cleaner) -> None:
    result = generic.clean("\n\n".join([TITLE, *BODY, "(aik/maa)", "Editor : Budi Santoso", TEASER]))
    assert result.paragraphs == BODY
    assert result.editors == ["Budi Santoso"]


def test_sign_off_above_the_headline_does_not_end_anything(generic: Cleaner) -> None:
    sidebar = "Polisi menangkap dua pencuri motor di Bekasi pada Minggu dini hari, kata Kapolsek."
    result = generic.clean("\n\n".join([sidebar, "(abc/def)", TITLE, *BODY]))
    assert all(p in result.paragraphs for p in BODY)


# -- sentences that mention the vocabulary stay --------------------------------------------------------------------

NEGATIVES = [
    "Pemerintah melarang iklan rokok di televisi sebelum pukul sembilan malam, kata pejabat itu.",
    "Editor film tersebut mengaku puas dengan hasil akhir yang ditayangkan pekan lalu di bioskop.",
    "Buku itu ditulis oleh seorang penulis muda asal Bandung yang kini tinggal di Jakarta.",
    "Baca juga buku panduan yang dibagikan panitia sebelum mendaftar, kata Andi kepada wartawan.",
    "Berita terkait banjir itu ramai dibagikan warga di media sosial sejak Senin pagi kemarin.",
    "Foto yang beredar di media sosial itu ternyata diambil dua tahun lalu, kata polisi setempat.",
    "Pertandingan dimulai pukul 04:10 waktu setempat dan berlangsung hingga pagi hari di stadion.",
    "Ia mengaku rutin membagikan tips hemat belanja kepada para pengikutnya di WhatsApp grup keluarga.",
    "Komentar warganet soal kenaikan harga beras terus bermunculan di media sosial sejak Senin.",
    "Halaman rumah warga di Cipinang terendam air setinggi lutut sejak Minggu malam kemarin.",
    "Topik harga pangan menjadi bahasan utama dalam rapat kabinet terbatas di Istana pada Senin.",
    "Menurut dia, sumber masalahnya adalah distribusi yang tersendat di sejumlah daerah penghasil.",
    "Warga Jakarta - Bogor yang biasa berbelanja di Cipinang kini beralih ke pasar lain di dekat rumah.",
    "Warga Kampung Melayu - yang rumahnya terendam - mengungsi ke masjid terdekat sejak Minggu malam.",
    "Why \u2014 especially now \u2014 do so many people claim a place in your field of expertise overnight?",
    "\u041e\u043d\u0438 \u2013 \u043d\u0430\u0441\u0442\u043e\u044f\u0449\u0438\u0435 \u0433\u0435"
    "\u043d\u0438\u0438 \u043a\u0443\u043b\u0438\u043d\u0430\u0440\u043d\u043e\u0433\u043e \u0438"
    "\u0441\u043a\u0443\u0441\u0441\u0442\u0432\u0430, \u0438 \u0438\u0445 \u0442\u0432\u043e\u0440"
    "\u0435\u043d\u0438\u044f \u043f\u043e\u0440\u0430\u0436\u0430\u044e\u0442 \u043d\u0435 \u0442"
    "\u043e\u043b\u044c\u043a\u043e \u0432\u043a\u0443\u0441\u043e\u043c, \u043d\u043e \u0438 \u043a"
    "\u0440\u0430\u0441\u043e\u0442\u043e\u0439.",
    "Readers who sign up for the council's flood newsletter will get warnings a day earlier, he said.",
    "More than 300 families had to leave their homes after the river burst its banks on Sunday night.",
    "Updated maps of the flooded districts were published by the city on Monday, officials said.",
    "Tell us what you think about the plan, the mayor told residents at the meeting on Monday evening.",
    "Warga bisa bergabung di grup WhatsApp kelurahan untuk mendapat jadwal operasi pasar murah.",
    "Petugas meminta warga memasang aplikasi Telegram resmi pemerintah untuk menerima peringatan banjir.",
    "Kantor dinas itu berada di Jl. Sudirman No. 5 dan buka setiap hari kerja sejak pukul delapan.",
    "Iklan itu ditayangkan di televisi sejak pekan lalu di seluruh kota besar di Jawa.",
    "Warga bisa mengunduh aplikasi Sapa Warga untuk melapor kenaikan harga di pasar terdekat.",
    "Halaman depan sekolah itu dipenuhi karangan bunga dari para alumni sejak pagi tadi.",
    "Les også boka hans før du går på kino, sier hun til avisen i dag etter premieren.",
    "Lesen Sie auch die anderen Berichte der Kommission, sagte der Minister am Montag in Berlin.",
    "Stand 22.04.2024 war die Zahl der Anträge doppelt so hoch wie im Vorjahr, teilte das Amt mit.",
    "Das Video ist drei Min. lang und bis Ende Mai in der Mediathek verfügbar, teilte der Sender mit.",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_sentence_mentioning_the_vocabulary_stays(generic: Cleaner, sentence: str) -> None:
    result = generic.clean(with_chrome_inside(sentence))
    assert sentence in result.paragraphs
    assert_body_intact(result.paragraphs)


def test_sentence_mentioning_the_vocabulary_stays_as_first_paragraph(generic: Cleaner) -> None:
    for sentence in NEGATIVES:
        result = generic.clean("\n\n".join([TITLE, sentence, P2, P3]))
        assert result.paragraphs[0] == sentence


# -- the same chrome glued into one-line text -------------------------------------------------------------------

#: Chrome as scrapers glue it into an article held on one line (`' '.join(p.get_text() ...)`, `get_text()`).
ONE_LINE_CHROME = [
    "Baca juga: Warga Antre Minyak Goreng Murah di Bekasi", "Baca Juga:Warga Antre Minyak Goreng Murah Di Bekasi",
    "BACA JUGA: Warga Antre Minyak Goreng Murah Di Bekasi", "Simak Video 'Banjir Rendam Kemang Sejak Pagi':",
    "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", "View this post on Instagram", "[Gambas:Video 20detik]",
    "(Baca juga: Warga Antre Minyak Goreng Murah)", "Foto: Rizky Pratama/detikcom", "Foto: ANTARA/Rizky Pratama",
    "Lihat juga Video: Detik-detik Banjir Rendam Kemang",
    "Simak breaking news dan berita pilihan kami langsung di ponselmu.",
    "JANGAN LEWATKAN!!! Warga Antre Minyak Goreng Murah Di Bekasi", "Pilihan Editor: Warga Antre Minyak Goreng Murah",
    "Advertisement", "Scroll untuk melanjutkan", "Halaman Selanjutnya", "Baca halaman selanjutnya", "Halaman 1 2 3",
]


@pytest.mark.parametrize("chrome", ONE_LINE_CHROME)
@pytest.mark.parametrize("gap", [" ", ""])
def test_chrome_glued_into_a_one_line_article_leaves(generic: Cleaner, chrome: str, gap: str) -> None:
    # A sentence that opens with one capitalised word follows: where a spaced headline ends before a subject of
    # several capitalised words ("... di Bekasi Dinas Perdagangan berjanji") is not told apart (see segment).
    page = " ".join([P1, P2]) + gap + chrome + " " + " ".join([P4, P3])
    result = generic.clean(page)
    flat = " ".join(result.text.split())
    assert chrome not in flat and chrome.split(":")[0] not in flat
    assert result.paragraphs == [f"{P1} {P2}", f"{P4} {P3}"]


@pytest.mark.parametrize("byline", ["Penulis: Andi Saputra", "Editor: Budi Santoso", "Penulis: Andi Saputra | Editor: "
                                    "Budi Santoso", "(Penulis: Andi Saputra | Editor: Budi Santoso)", "Pewarta: Dedi Kurnia "
                                    "Editor: Budi Santoso Copyright \u00a9 ANTARA 2024"])
@pytest.mark.parametrize("gap", [" ", ""])
def test_byline_glued_to_the_end_of_a_one_line_article_is_read(generic: Cleaner, byline: str, gap: str) -> None:
    result = generic.clean(" ".join(BODY) + gap + byline)
    assert result.text == " ".join(BODY)
    assert result.authors in ([], ["Andi Saputra"], ["Dedi Kurnia"]) and (result.authors or result.editors)


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_sentence_mentioning_the_vocabulary_stays_in_a_one_line_article(generic: Cleaner, sentence: str) -> None:
    page = " ".join([P1, P2, sentence, P3, P4])
    assert generic.clean(page).text == page


#: What pages print above the article, glued before the dateline of a one-line text, and what it tells.
GLUED_HEADS = [
    ("Fino Yurio Kristo - detikInet Jakarta - ", {"authors": ["Fino Yurio Kristo"], "dateline": "Jakarta"}),
    ("Penulis: Rina Ayu | Editor: Hendra Gunawan KOMPAS.com - ", {"authors": ["Rina Ayu"], "editors": ["Hendra Gunawan"]}),
    ("Selasa, 12 Sep 2023 14:05 WIB Jakarta - ", {"published": "2023-09-12T14:05+07:00", "dateline": "Jakarta"}),
    ("Reporter: Budi Santoso Editor: Ani Wijaya JAKARTA - ", {"authors": ["Budi Santoso"], "editors": ["Ani Wijaya"]}),
    ("Harga Beras Naik Jelang Akhir Tahun Jakarta - ", {"dateline": "Jakarta"}),
    ("Laporan Wartawan Tribunnews.com, Reza DeniTRIBUNNEWS.COM, JAKARTA - ", {"authors": ["Reza Deni"]}),
]


@pytest.mark.parametrize(("head", "fields"), GLUED_HEADS)
def test_head_glued_before_the_dateline_of_a_one_line_article(generic: Cleaner, head: str, fields: dict) -> None:
    result = generic.clean(head + " ".join(BODY))
    assert result.text == " ".join(BODY)
    for field, value in fields.items():
        assert getattr(result, field) == value, field


@pytest.mark.parametrize("sentence", [s for s in NEGATIVES if " - " in s])
def test_a_dash_inside_the_first_sentence_is_no_dateline(generic: Cleaner, sentence: str) -> None:
    page = " ".join([sentence, P2, P3])
    assert generic.clean(page).text == page


def test_a_sign_off_followed_by_more_teasers_and_summaries_still_ends(generic: Cleaner) -> None:
    """Negative twin of the next test: under the sign-off, a headline and its one-sentence summary (a related
    box) are no run of paragraphs: the article ends at the sign-off."""
    result = generic.clean("\n\n".join([TITLE, *BODY, "(aik/maa)", TEASER, "Harga Cabai Ikut Naik", TEASER]))
    assert result.paragraphs == BODY


@pytest.mark.parametrize("credit", ["(Nine)", "(AAP)", "(Reuters)"])
def test_a_credit_closing_a_caption_mid_article_ends_nothing(generic: Cleaner, credit: str) -> None:
    """A caption's credit in brackets ("... associates. (Nine)") looks like a desk sign-off; two long
    paragraphs under it say the article goes on."""
    caption = "Former US president Bill Clinton has been named as one of the associates. " + credit
    more = ["The detention centre was shut down in 2021 amid concerns about squalid conditions and crumbling "
            "infrastructure, officials said.",
            "Overworked officers assigned to guard the prisoner had failed to notice that he had amassed a surplus "
            "of bed linens, the report found."]
    result = generic.clean("\n\n".join([TITLE, P1, P2, P3, caption, *more]))
    assert all(paragraph in result.paragraphs for paragraph in [P1, P2, P3, *more]), result.paragraphs
