"""Metadata on pages from any outlet, form by form: dates, bylines, outlet, dateline, category, language.

Pages here come without a site rule (unless the row says so), so the generic extractors must do the work.
"""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner, CleanResult
from cleaner.urls import registered_domain, url_published, url_section

HEADLINE = "Pemerintah Tambah Kuota Pupuk Bersubsidi untuk Petani"
BODY = [
    "Pemerintah menambah kuota pupuk bersubsidi sebanyak dua juta ton untuk musim tanam tahun ini.",
    "Menteri Pertanian mengatakan tambahan kuota akan disalurkan mulai bulan depan ke seluruh provinsi.",
    "Petani diminta mendaftar ke kelompok tani agar tercatat sebagai penerima pupuk bersubsidi.",
]


@pytest.fixture(scope="module")
def generic() -> Cleaner:
    return Cleaner()


def page(*header: str, body: list[str] | None = None, footer: tuple[str, ...] = ()) -> str:
    return "\n\n".join([HEADLINE, *header, *(body or BODY), *footer])


def clean(cleaner: Cleaner, text: str, url: str | None = None) -> CleanResult:
    result = cleaner.clean(text, url)
    assert result.paragraphs == BODY, "the body must come through whole"
    return result


# -- publication dates ---------------------------------------------------------------------------------------------

DATE_LINES = [
    ("Selasa, 12 Sep 2023 14:05 WIB", "2023-09-12T14:05+07:00"),
    ("Sabtu, 11 Apr 2020 12:49 WIB", "2020-04-11T12:49+07:00"),
    ("Senin 11 Mei 2020 20:39 WIB", "2020-05-11T20:39+07:00"),
    ("Jum'at, 01 Mei 2020 - 23:15 WIB", "2020-05-01T23:15+07:00"),
    ("Jumat, 01 Mei 2020 - 23:15 WITA", "2020-05-01T23:15+08:00"),
    ("Kamis, 3 Juli 2025 07:45 WIT", "2025-07-03T07:45+09:00"),
    ("4 Juni 2025 | 11.00 WIB", "2025-06-04T11:00+07:00"),
    ("Rabu   18 Jun 2025  22:02", "2025-06-18T22:02"),
    ("05 - Sep - 2023, 19:15", "2023-09-05T19:15"),
    ("5 September 2023", "2023-09-05"),
    ("Rabu, 4 November 2015", "2015-11-04"),
    ("on 12 Okt 2016, 09:15 WIB", "2016-10-12T09:15+07:00"),
    ("Minggu, 17 Agu 2025 10:00 WIB", "2025-08-17T10:00+07:00"),
    ("Minggu, 17 Agt 2025 10:00 WIB", "2025-08-17T10:00+07:00"),
    ("Selasa, 2 Des 2025 08:30 WIB", "2025-12-02T08:30+07:00"),
    ("Ahad, 10 Maret 2024", "2024-03-10"),
    ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08+07:00"),
]


@pytest.mark.parametrize(("line", "iso"), DATE_LINES)
def test_printed_date_line(generic: Cleaner, line: str, iso: str) -> None:
    result = clean(generic, page(line))
    assert result.published == iso
    assert line not in result.text


URLS = [
    ("https://regional.kompas.com/read/2023/12/25/10450131/banjir-di-lhokseumawe", "2023-12-25"),
    ("https://www.tribunnews.com/nasional/2023/10/20/kpu-tetapkan-daftar-calon", "2023-10-20"),
    ("https://lifestyle.okezone.com/read/2025/06/20/51/3148201/kebiasaan-pagi", "2025-06-20"),
    ("https://www.cnnindonesia.com/nasional/20250910182921-32-1272266/kpu-tetapkan", "2025-09-10T18:29+07:00"),
    ("https://ekonomi.bisnis.com/read/20250604/9/1882345/ekspor-batu-bara-turun", "2025-06-04"),
    ("https://www.suara.com/news/2020/05/11/203900/pemkot-bogor-perpanjang-psbb", "2020-05-11T20:39"),
    ("https://example.com/2023/13/45/not-a-date", None),
    ("https://example.com/news/pupuk-bersubsidi-ditambah", None),
]


@pytest.mark.parametrize(("url", "iso"), URLS)
def test_date_in_the_url(url: str, iso: str | None) -> None:
    assert url_published(url) == iso


def test_url_date_fills_a_page_without_a_date_line(generic: Cleaner) -> None:
    url = "https://www.beritajatim.com/2024/03/10/pupuk-bersubsidi"
    assert clean(generic, page(), url).published == "2024-03-10"


def test_stated_date_beats_the_url(generic: Cleaner) -> None:
    url = "https://www.beritajatim.com/2024/03/10/pupuk-bersubsidi"
    assert clean(generic, page("Senin, 11 Maret 2024 09:00 WIB"), url).published == "2024-03-11T09:00+07:00"


def test_event_dates_in_the_prose_are_not_publication_dates(generic: Cleaner) -> None:
    body = [*BODY[:2], "Rapat koordinasi digelar pada Selasa (12/9/2023) di kantor kementerian di Jakarta Selatan."]
    result = generic.clean("\n\n".join([HEADLINE, *body]))
    assert result.published is None
    assert result.paragraphs == body


def test_a_date_without_a_year_is_not_a_publication_date(generic: Cleaner) -> None:
    assert generic.clean(page("Selasa, 12 September")).published is None


# -- bylines -------------------------------------------------------------------------------------------------------

BYLINES = [
    (("Penulis : Andi Saputra - Citra Lestari - Editor : Budi Santoso",), ["Andi Saputra", "Citra Lestari"], ["Budi Santoso"]),
    (("(Penulis: Andi Saputra | Editor: Budi Santoso)",), ["Andi Saputra"], ["Budi Santoso"]),
    (("(Reporter: Citra Lestari | Editor: Budi Santoso)",), ["Citra Lestari"], ["Budi Santoso"]),
    (("Reporter: Citra Lestari",), ["Citra Lestari"], []),
    (("Pewarta: Dedi Kurnia",), ["Dedi Kurnia"], []),
    (("Redaktur: Eka Putri",), [], ["Eka Putri"]),
    (("Oleh : Fajar Nugroho",), ["Fajar Nugroho"], []),
    (("By Ratnaning Asih",), ["Ratnaning Asih"], []),
    (("Laporan Wartawan Tribunnews.com, Reza Deni",), ["Reza Deni"], []),
    (("Laporan Reza Deni | Jakarta",), ["Reza Deni"], []),
    (("Fino Yurio Kristo - detikNews",), ["Fino Yurio Kristo"], []),
    (("Diadaptasi Oleh: Gita Pratiwi Editor: Hadi Wibowo",), ["Gita Pratiwi"], ["Hadi Wibowo"]),
    (("Penulis", "Andi Saputra", "Editor", "Budi Santoso"), ["Andi Saputra"], ["Budi Santoso"]),
    (("Penulis: Kontributor Lhokseumawe, Masriadi",), ["Masriadi"], []),
]


@pytest.mark.parametrize(("lines", "authors", "editors"), BYLINES, ids=[b[0][0][:30] for b in BYLINES])
def test_byline_forms(generic: Cleaner, lines: tuple[str, ...], authors: list[str], editors: list[str]) -> None:
    result = clean(generic, page(*lines))
    assert (result.authors, result.editors) == (authors, editors)


def test_author_and_editor_block_at_the_end_of_the_page(generic: Cleaner) -> None:
    result = clean(generic, page(footer=("Penulis", "Andi Saputra", "Editor", "Budi Santoso")))
    assert (result.authors, result.editors) == (["Andi Saputra"], ["Budi Santoso"])


def test_initials_are_credits_not_names(generic: Cleaner) -> None:
    result = clean(generic, page(footer=("(aik/maa)",)))
    assert result.authors == [] and result.editors == []
    assert result.credits == ["aik", "maa"]
    wire = clean(generic, page(footer=("kp/rs (Reuters)",)))
    assert wire.authors == [] and wire.credits == ["kp", "rs"] and wire.agency == "Reuters"


def test_a_sentence_with_oleh_is_not_a_byline(generic: Cleaner) -> None:
    sentence = "Bantuan itu diserahkan oleh Bupati Sleman kepada kelompok tani di Kecamatan Minggir pada Senin."
    body = [BODY[0], sentence, BODY[2]]
    result = generic.clean("\n\n".join([HEADLINE, *body]))
    assert result.paragraphs == body
    assert result.authors == []


# -- outlet, dateline, category, language --------------------------------------------------------------------------


def test_outlet_is_the_site_rule_name(generic: Cleaner) -> None:
    result = generic.clean(page(), "https://nasional.kompas.com/read/2024/03/10/1/pupuk")
    assert (result.site, result.outlet) == ("kompas", "Kompas.com")


def test_outlet_from_the_dateline_without_a_site_rule(generic: Cleaner) -> None:
    body = ["BANDUNG, AyoBandung.com - " + BODY[0], *BODY[1:]]
    result = clean(generic, "\n\n".join([HEADLINE, *body]))
    assert (result.site, result.outlet, result.dateline) == (None, "AyoBandung.com", "Bandung")


def test_outlet_from_the_registered_domain_as_last_resort(generic: Cleaner) -> None:
    result = clean(generic, page(), "https://m.beritajatim.co.id/ekonomi/pupuk-bersubsidi")
    assert result.outlet == "beritajatim.co.id"
    assert registered_domain("https://www.republika.co.id/berita/x") == "republika.co.id"
    assert registered_domain("not a url") is None


@pytest.mark.parametrize(("prefix", "place"), [("SEOUL, KOMPAS.com -", "Seoul"), ("BANDA ACEH -", "Banda Aceh"),
                                               ("SERAMBINEWS.COM, BANDA ACEH -", "Banda Aceh")])
def test_dateline_in_title_case(generic: Cleaner, prefix: str, place: str) -> None:
    result = clean(generic, "\n\n".join([HEADLINE, f"{prefix} {BODY[0]}", *BODY[1:]]))
    assert result.dateline == place


def test_category_from_the_breadcrumb_right_above_the_headline(generic: Cleaner) -> None:
    text = "\n\n".join(["Nasional", "Ekonomi", "Olahraga", "Beranda > Ekonomi", HEADLINE, "Senin, 11 Maret 2024", *BODY])
    result = generic.clean(text)
    assert (result.title, result.category) == (HEADLINE, "Ekonomi")


def test_a_menu_far_above_the_headline_is_not_the_category(generic: Cleaner) -> None:
    text = "\n\n".join(["Nasional", "Olahraga", "Indeks Berita", "Login", "Tentang Kami", HEADLINE,
                         "Senin, 11 Maret 2024", *BODY])
    result = generic.clean(text)
    assert (result.title, result.category) == (HEADLINE, None)


@pytest.mark.parametrize(("url", "section"), [
    ("https://www.cnnindonesia.com/nasional/20250910182921-32-1272266/kpu", "nasional"),
    ("https://regional.kompas.com/read/2023/12/25/10450131/banjir", None),
    ("https://example.com/pupuk-bersubsidi-ditambah", None),
])
def test_category_from_the_url(url: str, section: str | None) -> None:
    assert url_section(url) == section


def test_language(generic: Cleaner) -> None:
    assert clean(generic, page()).language == "id"
    english = [
        "The government added two million tonnes to the quota of subsidised fertiliser this season.",
        "The agriculture minister said the extra quota would reach every province from next month.",
    ]
    assert generic.clean("\n\n".join(["Fertiliser Quota Raised for Farmers", *english])).language == "en"


def test_a_page_with_no_metadata_gets_nulls(generic: Cleaner) -> None:
    result = generic.clean("\n\n".join(BODY))
    assert result.paragraphs == BODY
    assert (result.title, result.outlet, result.published, result.dateline, result.category) == (None,) * 5
    assert (result.authors, result.editors, result.tags, result.credits) == ([], [], [], [])


# -- names from bylines in other languages and from structured metadata ------------------------------------------


@pytest.mark.parametrize(("value", "names"), [
    ("Anna Weber und Jonas Keller", ["Anna Weber", "Jonas Keller"]),
    ("Mathias Hagen; Journalist; Anders Skjerdingstad", ["Mathias Hagen", "Anders Skjerdingstad"]),
    ("Ingrid Treborg og Marlene Lundberg Holm", ["Ingrid Treborg", "Marlene Lundberg Holm"]),
    ("Dolores Chang for Dailymail.com", ["Dolores Chang"]),
    ("\uc2e0\ud604\uc8fc \uae30\uc790", ["\uc2e0\ud604\uc8fc"]),
    # negatives: a name that holds "For" or "en" as a word of its own is not cut
    ("Cindy For", ["Cindy For"]),
    ("Maria Eriksen", ["Maria Eriksen"]),
])
def test_names_split_in_many_languages_and_roles_leave(value: str, names: list[str]) -> None:
    from cleaner.text.names import split_names

    assert split_names(value) == names


def test_a_name_and_its_url_slug_are_one_author(cleaner: Cleaner) -> None:
    page = ("<html><head><meta name='author' content='Emma Mackenzie; Emma-Mackenzie'></head><body><article>"
            + "<p>The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.</p>" * 3
            + "</article></body></html>")
    assert cleaner.clean(page).authors == ["Emma Mackenzie"]


@pytest.mark.parametrize(("creators", "authors"), [
    (["Brazil, Rachel"], ["Rachel Brazil"]),
    (["You, Xiaoying", "Lenharo, Mariana"], ["Xiaoying You", "Mariana Lenharo"]),
    (["Adam Vidler, AP"], ["Adam Vidler"]),  # a name and an agency in capitals: not "Surname, Given"
])
def test_creator_tags_name_one_person_each(cleaner: Cleaner, creators: list[str], authors: list[str]) -> None:
    tags = "".join(f'<meta name="dc.creator" content="{c}">' for c in creators)
    page = (f"<html><head>{tags}</head><body><article>"
            + "<p>The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.</p>" * 3
            + "</article></body></html>")
    assert cleaner.clean(page).authors == authors


@pytest.mark.parametrize(("byline", "authors"), [
    ("Von: Nadja Zinsmeister", ["Nadja Zinsmeister"]),
    ("Von Anna Weber und Jonas Keller", ["Anna Weber", "Jonas Keller"]),
    ("By Lisa Mascaro, Mary Clare Jalonick and Eric Tucker", ["Lisa Mascaro", "Mary Clare Jalonick", "Eric Tucker"]),
    ("Av Ingrid Treborg", ["Ingrid Treborg"]),
])
def test_bylines_in_other_languages_leave_the_body_as_authors(cleaner: Cleaner, byline: str,
                                                              authors: list[str]) -> None:
    body = ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.",
            "Work is to start in spring and should take two years, the mayor said at the meeting."]
    result = cleaner.clean("\n\n".join(["Riverton rebuilds its harbour wall", byline, *body]))
    assert result.authors == authors and result.paragraphs == body


@pytest.mark.parametrize("sentence", [
    "Von der Leyen sagte am Montag, die Kommission werde den Plan noch in diesem Monat vorlegen.",
    "By the end of the week, prices at the harbour market had fallen by a third, traders said.",
    "Par ailleurs, le conseil municipal a voté le budget de la nouvelle digue mardi soir.",
])
def test_a_sentence_that_opens_with_by_or_von_stays(cleaner: Cleaner, sentence: str) -> None:
    body = ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.", sentence]
    assert cleaner.clean("\n\n".join(["Riverton rebuilds its harbour wall", *body])).paragraphs == body


# -- the page's declared authors, and the outlet that is not a person ---------------------------------------------


@pytest.mark.parametrize(("name", "outlet"), [
    ("Lesotho Times", True), ("STERN.de", True), ("Nieuwsblad Be", True), ("Deutsche Welle (www.dw.com)", True),
    ("Condé Nast", True),  # the publisher the JSON-LD names
    # negatives: people whose names hold or resemble the outlet's
    ("Jan Stern", False), ("Ann Lesotho", False), ("Tim Hanlon", False), ("Nieuwsbladen Team", False),
])
def test_an_author_that_is_the_outlet_is_not_a_person(name: str, outlet: bool) -> None:
    from cleaner.document import HtmlFacts
    from cleaner.stages.metadata import names_outlet, outlet_marks

    for sitename, host in (("Lesotho Times", "lestimes.com"), ("stern.de", "stern.de"),
                           ("Het Nieuwsblad", "nieuwsblad.be"), ("DW.COM", "dw.com")):
        marks = outlet_marks(HtmlFacts(sitename=sitename, hostname=host, publishers=("Condé Nast",)))
        if names_outlet(name, marks):
            assert outlet, (name, sitename)
            return
    assert not outlet, name


@pytest.mark.parametrize(("value", "names"), [
    ("By TOM KRISHER", ["Tom Krisher"]), ("AP Auto Writer", []), ("Senior Correspondent", []), ("Admin", []),
    ("Tim Redaksi", []), ("Tim detikNews", []),
    # negatives: a first name that is a role word in another language, a team credited as an author
    ("Tim Hanlon", ["Tim Hanlon"]), ("Gear Team", ["Gear Team"]), ("Byron Writes", ["Byron Writes"]),
])
def test_declared_names_lose_their_by_and_job_titles(value: str, names: list[str]) -> None:
    from cleaner.text.names import split_names

    assert split_names(value, initials=True) == names


def test_declared_authors_are_the_first_articles_people_and_agencies() -> None:
    from cleaner.html.declared import declared_authors

    objects = [{"@type": "WebSite", "name": "Courier", "author": {"name": "Nobody"}},
               {"@type": ["ReportageNewsArticle"], "author": [{"@type": "Person", "name": "Paula Steiger"},
                                                              {"@type": "Organization", "name": "SDA"},
                                                              {"name": "https://example.com/author/x"}],
                "publisher": {"@type": "Organization", "name": "Tages-Anzeiger"}},
               {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Teaser Author"}}]
    assert declared_authors(objects) == (["Paula Steiger", "SDA"], ["Tages-Anzeiger"])
    assert declared_authors([{"@type": "WebPage", "author": "X"}]) == ([], [])


def _page_with_bylines(declared: list[str], bylines: list[str]) -> str:
    ld = json.dumps({"@type": "NewsArticle", "author": [{"@type": "Person", "name": n} for n in declared]})
    printed = "".join(f"<p>{b}</p>" for b in bylines[:1])
    teasers = "".join(f"<li><a href='/a'>Another story of the day here</a><p>{b}</p></li>" for b in bylines[1:])
    return (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article>"
            f"<h1>Riverton rebuilds its harbour wall</h1>{printed}"
            + "<p>The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.</p>" * 3
            + f"</article><aside><ul>{teasers}</ul></aside></body></html>")


@pytest.mark.parametrize(("declared", "bylines", "authors"), [
    # a byline that names a declared author keeps its co-authors; a teaser's byline goes
    (["Ann Lee"], ["By Ann Lee and Omar Said", "By Jane Doe"], ["Ann Lee", "Omar Said"]),
    # declared co-authors the byline left out are added
    (["Till Eckert", "Max Bernhard"], ["Von Till Eckert"], ["Till Eckert", "Max Bernhard"]),
    # no printed byline: the declared list
    (["Ann Lee", "AP"], [], ["Ann Lee", "AP"]),
    # negative: a printed byline that names none of the declared authors stands
    (["Web Desk"], ["By Ann Lee"], ["Ann Lee"]),
])
def test_printed_bylines_and_declared_authors_agree(cleaner: Cleaner, declared: list[str], bylines: list[str],
                                                    authors: list[str]) -> None:
    assert cleaner.clean(_page_with_bylines(declared, bylines)).authors == authors


@pytest.mark.parametrize(("label", "name", "authors"), [
    ("Autorin/Autor", "Roman Goncharenko", ["Roman Goncharenko"]),
    ("Von:", "Bill McCarthy,", ["Bill McCarthy"]),
    ("von", "Jemima Kelly", ["Jemima Kelly"]), ("By", "Ann Lee", ["Ann Lee"]),
    ("Written by", "Ann Lee", ["Ann Lee"]),
    ("\u3053\u306e\u8a18\u4e8b\u306e\u7b46\u8005", "\u677e\u5ca1\u5927\u5730", ["\u677e\u5ca1\u5927\u5730"]),
])
def test_an_author_label_above_the_name(cleaner: Cleaner, label: str, name: str, authors: list[str]) -> None:
    body = ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.",
            "Work is to start in spring and should take two years, the mayor said at the meeting."]
    result = cleaner.clean("\n\n".join(["Riverton rebuilds its harbour wall", *body, label, name]))
    assert result.authors == authors and result.paragraphs == body


def test_a_sentence_under_an_author_label_is_no_name(cleaner: Cleaner) -> None:
    body = ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.",
            "Autor", "der Plan wurde am Montag vorgestellt und soll bis zum Sommer umgesetzt werden, hieß es."]
    result = cleaner.clean("\n\n".join(["Riverton rebuilds its harbour wall", *body]))
    assert result.authors == [] and body[2] in result.paragraphs


def test_a_teasers_byline_below_the_article_is_not_its_authors(cleaner: Cleaner) -> None:
    ld = json.dumps({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ann Lee"}]})
    page = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article>"
            "<h1>Riverton rebuilds its harbour wall</h1>"
            + "".join(f"<p>The council of Riverton voted on Tuesday, meeting {n}, to rebuild the old harbour wall.</p>"
                      for n in range(3))
            + "</article><aside><ul><li><a href='/a'>Another story of the day here</a></li><li>By</li>"
              "<li>Jane Doe</li></ul></aside></body></html>")
    assert cleaner.clean(page).authors == ["Ann Lee"]


@pytest.mark.parametrize(("label", "names", "authors"), [
    ("Von:", ["Bill McCarthy,", "Marisha Goldhamer"], ["Bill McCarthy", "Marisha Goldhamer"]),
    ("By", ["Ann Lee,", "Omar Said,", "Jane Doe"], ["Ann Lee", "Omar Said", "Jane Doe"]),
    # negative: without the comma the next line is not part of the byline
    ("Von:", ["Bill McCarthy", "Marisha Goldhamer"], ["Bill McCarthy"]),
])
def test_names_listed_one_per_line_after_an_author_label(cleaner: Cleaner, label: str, names: list[str],
                                                         authors: list[str]) -> None:
    body = ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.",
            "Work is to start in spring and should take two years, the mayor said at the meeting."]
    result = cleaner.clean("\n\n".join(["Riverton rebuilds its harbour wall", label, *names, *body]))
    assert result.authors == authors and result.paragraphs == body


def test_a_sentence_after_a_listed_name_stays_in_the_body(cleaner: Cleaner) -> None:
    body = ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the storms.",
            "Work is to start in spring and should take two years, the mayor said at the meeting."]
    result = cleaner.clean("\n\n".join(["Riverton rebuilds its harbour wall", *body, "Von:", "Bill McCarthy,",
                                        "Die Arbeiten beginnen im Frühjahr und dauern zwei Jahre, sagte er."]))
    assert result.authors == ["Bill McCarthy"] and result.paragraphs[-1].startswith("Die Arbeiten")


# -- a bare line of names above the body ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "names"), [
    ("Mohloai Mpesi", True), ("Mathatisi Sebusi/Mohalenyane Phakela", True), ("MTHOBISI SITHOLE", True),
    ("Ingrid van der Berg and Omar Said", True),
    # negatives: a role, one word, a sentence, a date, a headline with punctuation, a long line
    ("Staff Reports", False), ("Redaksi", False), ("Ann Lee said.", False), ("Senin 12 Mei", False),
    ("Breaking: Storm Hits", False), ("The Council Of Riverton Votes To Rebuild The Old Harbour Wall", False),
])
def test_a_line_that_reads_like_names(text: str, names: bool) -> None:
    from cleaner.text.names import reads_like_names

    assert reads_like_names(text) is names


_NAMES_BODY = ["IN the heart of Riverton, the council voted on Tuesday to rebuild the old harbour wall after storms.",
               "Work is to start in spring and should take two years, the mayor said at the meeting on Tuesday."]


def _page_with_names(above: str, tags: str = "") -> str:
    return (f"<html><head><title>Riverton rebuilds its harbour wall</title>{tags}</head><body><article>"
            f"<h1>Riverton rebuilds its harbour wall</h1><p><strong>{above}</strong></p>"
            + "".join(f"<p>{p}</p>" for p in _NAMES_BODY) + "</article></body></html>")


@pytest.mark.parametrize(("above", "authors"), [
    ("Mohloai Mpesi", ["Mohloai Mpesi"]),
    ("Mathatisi Sebusi/Mohalenyane Phakela", ["Mathatisi Sebusi", "Mohalenyane Phakela"]),
    # negatives: the headline's own words (a kicker), a role
    ("Riverton Harbour", []), ("Staff Reports", []),
])
def test_a_bare_line_of_names_above_the_body_is_its_byline(cleaner: Cleaner, above: str, authors: list[str]) -> None:
    result = cleaner.clean(_page_with_names(above))
    assert result.authors == authors and result.paragraphs == _NAMES_BODY


def test_a_kicker_that_is_a_tag_is_no_byline(cleaner: Cleaner) -> None:
    tags = '<meta property="article:tag" content="Premier League">'
    assert cleaner.clean(_page_with_names("Premier League", tags)).authors == []
    assert cleaner.clean(_page_with_names("Mohloai Mpesi", tags)).authors == ["Mohloai Mpesi"]


def test_a_line_of_names_inside_the_body_stays(cleaner: Cleaner) -> None:
    """Negative: only the line right above the first paragraph is read; names within the article stay."""
    page = _page_with_names("Mohloai Mpesi").replace(f"<p>{_NAMES_BODY[1]}</p>",
                                                      f"<p>Ann Lee</p><p>{_NAMES_BODY[1]}</p>")
    result = cleaner.clean(page)
    assert result.authors == ["Mohloai Mpesi"] and "Ann Lee" in result.paragraphs


def test_a_menu_button_above_the_article_is_no_byline() -> None:
    """"Open Navigation Menu" reads like three capitalised names; as the interface label it is, it leaves before
    the bare line of names above the first paragraph is read as the byline."""
    from cleaner import Cleaner

    article = ["The council approved the budget on Tuesday after a long debate about road repairs and schools.",
               "The mayor said the new spending would start in January and be reviewed every three months."]
    result = Cleaner().clean("\n\n".join(["Open Navigation Menu", *article]), format="text")
    assert result.authors == [] and result.text == "\n\n".join(article)


def test_a_handle_or_a_glued_rights_notice_is_no_part_of_a_name() -> None:
    from cleaner.text.names import split_names

    assert split_names("Till Eckert, tilleckert.90") == ["Till Eckert"]  # a social handle beside the name
    assert split_names("Ade MarboenCOPYRIGHT © ANTARA 2015") == ["Ade Marboen"]  # a copyright line glued on
    assert split_names("A. Müller, B. Schmidt und C. Weber") == ["A. Müller", "B. Schmidt", "C. Weber"]
    assert split_names("Dr. J.R. Smith") == ["Dr. J.R. Smith"]  # initials keep their dots


def test_a_site_rules_xpath_value_comes_before_what_the_page_declares() -> None:
    """The precedence of the declared sources is data (`DECLARED_SOURCES`): the site's XPath, then the page."""
    from cleaner.document import HtmlFacts
    from cleaner.stages.metadata import declared_value as first

    both = HtmlFacts(sitename="Example  News", categories=("World",), date="2024-05-01",
                     site_values={"outlet": "Example", "category": "Politik", "published": "1 Mei 2024 10:00 WIB"})
    assert (first("outlet", both), first("category", both)) == ("Example", "Politik")
    assert first("published", both) == "2024-05-01T10:00+07:00"
    declared_only = HtmlFacts(sitename="Example  News", categories=("World",), date="2024-05-01")
    assert (first("outlet", declared_only), first("category", declared_only)) == ("Example News", "World")
    assert first("published", declared_only) == "2024-05-01" and first("title", declared_only) is None
