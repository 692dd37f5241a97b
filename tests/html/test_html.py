"""HTML input: files, gzip, JSONL `html` records, WARC, charsets, site HTML rules, hostile markup."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import Cleaner, RuleFileError
from tests.conftest import records, run_cli

P1 = "Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat selama dua pekan hingga akhir bulan ini."
P2 = "Wali Kota mengatakan angka penularan di wilayahnya belum turun secara konsisten dalam dua pekan terakhir."
P3 = "Selama perpanjangan, pasar tradisional hanya boleh buka sampai pukul dua siang dan pengunjung wajib memakai masker."
HEADLINE = "Pemkot Bogor Perpanjang Pembatasan Dua Pekan"


def article(extra_body: str = "", charset: str = "utf-8", promo: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="{charset}">
<title>{HEADLINE} - Kabar Bogor</title>
<meta property="og:site_name" content="Kabar Bogor">
<link rel="canonical" href="https://www.kabarbogor.co.id/berita/2024/03/11/pemkot-bogor-perpanjang">
</head><body>
<nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a> <a href="/ekonomi">Ekonomi</a></nav>
<article>
<h1>{HEADLINE}</h1>
<div class="byline">Penulis: Rina Susanti</div>
<div class="date">Senin, 11 Maret 2024 10:15 WIB</div>
<p>BOGOR, KabarBogor.co.id - {P1}</p>
<p>{P2}</p>
{promo}
<p>Baca juga: Warga Bogor Antre Vaksin di Balai Kota</p>
<p>{P3}</p>
{extra_body}
</article>
<aside><h3>Terpopuler</h3><ul><li><a href="/a">Banjir Rendam Tiga Kecamatan di Bogor</a></li>
<li><a href="/b">Harga Cabai Naik Jelang Ramadan</a></li></ul></aside>
<footer>Copyright 2024 Kabar Bogor. All rights reserved.</footer>
</body></html>"""


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return run_cli("clean", *args, stdin=stdin)


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_html_page_through_the_library(cleaner: Cleaner) -> None:
    result = cleaner.clean(article())
    assert result.paragraphs == [P1, P2, P3]
    assert result.title == HEADLINE
    assert result.authors == ["Rina Susanti"]
    assert result.published == "2024-03-11T10:15+07:00"
    assert result.dateline == "Bogor"
    assert result.url == "https://www.kabarbogor.co.id/berita/2024/03/11/pemkot-bogor-perpanjang"
    assert result.outlet == "KabarBogor.co.id"  # the dateline names the outlet before trafilatura's sitename


def test_html_and_gzipped_html_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(article(), encoding="utf-8")
    (tmp_path / "b.htm.gz").write_bytes(gzip.compress(article().encode()))
    (tmp_path / "c.html.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    out = tmp_path / "out.jsonl"
    done = run(str(tmp_path), "-o", str(out))
    plain, packed, broken = records(out.read_bytes())
    assert plain["text"] == packed["text"] == "\n\n".join([P1, P2, P3])
    assert "cannot read" in broken["error"]
    assert done.returncode == 1


def test_jsonl_with_an_html_field(tmp_path: Path) -> None:
    source = tmp_path / "pages.jsonl"
    source.write_text(json.dumps({"id": "p1", "url": "https://www.kabarbogor.co.id/x", "html": article()}) + "\n"
                      + json.dumps({"id": "p2", "text": P1}) + "\n")
    first, second = records(run(str(source)).stdout)
    assert first["id"] == "p1" and first["text"] == "\n\n".join([P1, P2, P3])
    assert first["url"] == "https://www.kabarbogor.co.id/x"
    assert second["text"] == P1


def test_html_on_stdin_is_recognised() -> None:
    [record] = records(run("-", stdin=article().encode()).stdout)
    assert record["title"] == HEADLINE and record["text"].startswith(P1)


def test_wrong_charset_declaration(cleaner: Cleaner) -> None:
    page = article(charset="iso-8859-1", extra_body="<p>Kafe di Jalan Suryakencana menjual kopi seharga Rp 25.000 "
                                                     "per cangkir, kata pemiliknya, Andr\u00e9 Wijaya.</p>")
    result = cleaner.clean(page.encode("utf-8"))
    assert "Andr\u00e9 Wijaya" in result.text and "\u00c3" not in result.text


def test_undeclared_latin1_html(cleaner: Cleaner) -> None:
    page = article(charset="", extra_body="<p>Kafe milik Andr\u00e9 Wijaya di Jalan Suryakencana ramai dikunjungi "
                                          "wisatawan setiap akhir pekan.</p>").replace('<meta charset="">', "")
    result = cleaner.clean(page.encode("cp1252"))
    assert "Andr\u00e9 Wijaya" in result.text


def build_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, content_type, body in [
            ("https://www.kabarbogor.co.id/berita/1", "text/html; charset=utf-8", article().encode()),
            ("https://www.kabarbogor.co.id/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
            ("https://www.kabarbogor.co.id/berita/2", "text/html", article(extra_body=f"<p>{P1} Lagi.</p>").encode()),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
        request = writer.create_warc_record("https://www.kabarbogor.co.id/berita/1", "request",
                                            payload=io.BytesIO(b"GET /berita/1 HTTP/1.1\r\n\r\n"))
        writer.write_record(request)


def test_warc_input(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    build_warc(warc)
    out = tmp_path / "out.jsonl"
    done = run(str(warc), "-o", str(out))
    assert done.returncode == 0, done.stderr
    got = records(out.read_bytes())
    assert [r["url"] for r in got] == ["https://www.kabarbogor.co.id/berita/1",
                                       "https://www.kabarbogor.co.id/berita/2"]
    assert all(r["text"].startswith(P1) for r in got)
    assert b"skipped: WARC response that is not HTML (1), WARC request record (1)" in done.stderr


SITE = """id: kabarbogor
name: Kabar Bogor
domains: [kabarbogor.co.id]
html:
  prune: ["//div[@class='promo']"]
  meta:
    authors: "//span[@class='rep']/@data-name"
"""


def test_site_html_rule_prunes_elements_and_reads_metadata(rules_dir: Callable[..., Path]) -> None:
    promo = ("Dapatkan diskon langganan koran digital sebesar lima puluh persen untuk pembaca setia kami "
             "hanya sampai akhir bulan ini di seluruh agen resmi.")
    page = article(promo=f'<div class="promo"><p>{promo}</p></div>')
    page = page.replace('<div class="byline">Penulis: Rina Susanti</div>', '<span class="rep" data-name="Dedi Kurnia"></span>')
    url = "https://www.kabarbogor.co.id/berita/2024/03/11/pemkot"
    plain = Cleaner().clean(page, url)
    assert promo in plain.text and plain.authors == []  # without the rule trafilatura keeps the promo
    with_rule = Cleaner([rules_dir(sites={"kabarbogor.yaml": SITE})]).clean(page, url)
    assert with_rule.site == "kabarbogor" and with_rule.outlet == "Kabar Bogor"
    assert with_rule.paragraphs == [P1, P2, P3]
    assert with_rule.authors == ["Dedi Kurnia"]


def test_invalid_xpath_names_file_line_and_rule(rules_dir: Callable[..., Path]) -> None:
    bad = SITE.replace("//div[@class='promo']", "//div[@class=")
    with pytest.raises(RuleFileError) as error:
        Cleaner([rules_dir(sites={"kabarbogor.yaml": bad})])
    assert "kabarbogor.yaml" in str(error.value) and "kabarbogor/html/prune" in str(error.value)
    assert "invalid XPath" in str(error.value)


def test_deeply_nested_and_truncated_html(cleaner: Cleaner) -> None:
    nested = "<html><body>" + "<div>" * 50_000 + f"<p>{P1}</p>" + "</div>" * 50_000 + "</body></html>"
    result = cleaner.clean_or_error(nested)
    assert result.error is None or "nested" in result.error or "parse" in result.error
    truncated = article()[: article().index(P3) + 20]
    result = cleaner.clean_or_error(truncated)
    assert result.error is None and P1 in result.text
    assert cleaner.clean_or_error("<html><body></body></html>").text == ""


def test_bundled_html_rule_prunes_a_sites_teaser_blocks(cleaner: Cleaner) -> None:
    teaser = "Pemerintah mencabut empat izin usaha pertambangan yang beroperasi di kawasan konservasi laut."
    card = "Sebanyak enam puluh persen responden menolak pemilihan kepala daerah melalui dewan perwakilan."
    page = article(promo=f'<section><ul class="list-3"><li><div class="text"><p>{teaser}</p></div></li></ul></section>')
    page = page.replace("<article>", f'<div class="card-1"><div class="text"><p>{card}</p></div></div><article>')
    page = page.replace("https://www.kabarbogor.co.id/", "https://mediaindonesia.com/")
    result = cleaner.clean(page)
    assert result.site == "mediaindonesia"
    assert teaser not in result.text and card not in result.text
    assert [p for p in result.paragraphs if p in (P1, P2, P3)] == [P1, P2, P3]


def test_page_text_puts_blocks_on_lines_and_skips_scripts_and_comments() -> None:
    from trafilatura.utils import load_html

    from cleaner.html.declared import page_text

    tree = load_html("<html><head><title>T</title><script>var x = 1;</script></head><body>"
                     "<div>Penulis: <b>Rina</b></div><!-- <p>hidden</p> --><p>Satu  dua</p>"
                     "<ul><li>a</li><li>b</li></ul><style>p {}</style>tail</body></html>")
    assert page_text(tree).split("\n") == ["T", "Penulis: Rina", "Satu dua", "a", "b", "tail"]


def test_page_pass_reads_around_the_article_only() -> None:
    from cleaner.pipeline import PAGE_BELOW, PAGE_CONTEXT, around_body

    paragraphs = [f"Paragraf nomor {n} dari artikel ini cukup panjang untuk dibaca sebagai kalimat berita." for n in
                  range(30)]
    menu = [f"Menu {n}" for n in range(100)]
    teasers = [f"Berita lain {n}" for n in range(PAGE_BELOW)]
    page = "\n".join([*menu, "Penulis: Rina", *paragraphs, "Editor: Budi", *teasers, "Senin, 1 Januari 2024", *menu])
    around, below = around_body(page, "\n".join(paragraphs))
    window = around.split("\n")
    assert "Penulis: Rina" in window and "Editor: Budi" in window
    assert "Senin, 1 Januari 2024" not in window  # a teaser's date, past the article's footer
    assert paragraphs[0] in window and paragraphs[-1] in window and paragraphs[15] not in window
    assert len(window) < PAGE_CONTEXT + PAGE_BELOW + 15
    assert below is not None and window[below - 2] == paragraphs[-1] and window[below - 1] == "Editor: Budi"
    assert around_body(page, "Teks yang tidak ada di halaman ini sama sekali, sebuah kalimat panjang.") == (page, None)


def test_a_closing_list_stays_with_the_extracted_article(cleaner: Cleaner) -> None:
    dates = "".join(f"<li>June {d} \u2013 West Palm Beach, FL @ Coral Sky Amphitheatre</li>" for d in (9, 10, 14))
    result = cleaner.clean(article(extra_body=f"<p>Tour dates:</p><ul>{dates}</ul>"))
    assert "- June 14 \u2013 West Palm Beach, FL @ Coral Sky Amphitheatre" in result.paragraphs  # trafilatura bullets
    stamps = "".join(f"<li>- Senin, {d}/03/2024 10:15 WIB</li>" for d in (4, 5, 6))
    result = cleaner.clean(article(extra_body=f"<ul>{stamps}</ul>"))
    assert not any("WIB" in p for p in result.paragraphs)


def _fast_extraction(body_html: str) -> object:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(f"<html><head><title>T</title></head><body>{body_html}</body></html>")
    return trafilatura.bare_extraction(tree, fast=True, favor_precision=True, include_comments=False)


def test_the_full_cascade_is_asked_for_where_trafilatura_would_compare() -> None:
    from cleaner.html.body import ARTICLE_LENGTH, needs_full_cascade

    article_html = "".join(f"<p>{p}</p>" for p in (P1, P2, P3))
    extracted = _fast_extraction(f"<article>{article_html}</article>")
    length = len(extracted.text)  # type: ignore[attr-defined]
    assert needs_full_cascade(extracted, page_prose=length) is None
    assert needs_full_cascade(extracted, page_prose=2 * length + 1) == "less than half the page's prose"
    long_html = "".join(f"<p>{p} ({n})</p>" for n in range(4) for p in (P1, P2, P3))
    long_extraction = _fast_extraction(f"<article>{long_html}</article>")
    assert len(long_extraction.text) >= ARTICLE_LENGTH  # type: ignore[attr-defined]
    assert needs_full_cascade(long_extraction, page_prose=10 * ARTICLE_LENGTH) is None  # an article was found
    assert needs_full_cascade(None, page_prose=0) == "short"
    assert needs_full_cascade(_fast_extraction(f"<article><p>{P1}</p></article>"), page_prose=0) == "short"
    tables = "".join(f"<table><tr><td>{p}</td><td>{p}</td></tr></table>" for p in (P1, P2, P3))
    assert needs_full_cascade(_fast_extraction(f"<article>{tables}</article>"), page_prose=0) in (
        "no paragraph text", "more tables than paragraphs")


def test_main_text_runs_the_full_cascade_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura
    from trafilatura.utils import load_html

    from cleaner.html.body import main_text
    from cleaner.html.declared import page_text

    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(bool(kwargs.get("fast")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    tree = load_html(article())
    assert P3 in main_text(tree, None, None, page_text(tree))
    assert calls == [True]
    calls.clear()
    sidebar = "".join(f"<p>Berita {n}: {P2}</p>" for n in range(12))  # more prose on the page than in the article
    tree = load_html(article().replace("<aside>", f"<aside>{sidebar}"))
    main_text(tree, None, None, page_text(tree))
    assert calls == [True, False]


# -- a body declared in JSON-LD --------------------------------------------------------------------------------

_DECLARED_PARAGRAPHS = [
    f"The council of Riverton voted on Tuesday to rebuild the old harbour wall, paragraph {n} of the report, "
    "after a winter of storms that flooded the lower town twice and closed the ferry for a week." for n in range(12)
]


def _ld_page(visible: list[str], declared: str) -> str:
    ld = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Riverton"}, {"@type": "NewsArticle", "articleBody": declared}]})
    body = "".join(f"<p>{p}</p>" for p in visible)
    return (f'<html><head><title>Harbour wall</title><script type="application/ld+json">{ld}</script></head>'
            f"<body><article><h1>Harbour wall</h1>{body}</article></body></html>")


def test_a_json_ld_body_that_holds_the_visible_part_replaces_it(cleaner: Cleaner) -> None:
    page = _ld_page(_DECLARED_PARAGRAPHS[:3], "\n\n".join(_DECLARED_PARAGRAPHS))
    assert cleaner.clean(page).paragraphs == _DECLARED_PARAGRAPHS


def test_a_json_ld_body_stands_in_for_an_empty_extraction(cleaner: Cleaner) -> None:
    page = _ld_page([], "\n\n".join(_DECLARED_PARAGRAPHS))
    assert cleaner.clean(page).paragraphs == _DECLARED_PARAGRAPHS


def test_a_longer_json_ld_body_that_is_another_text_is_not_taken(cleaner: Cleaner) -> None:
    other = " ".join(f"An unrelated story about a football final, sentence {n} of many." for n in range(80))
    visible = _DECLARED_PARAGRAPHS[:4]
    assert cleaner.clean(_ld_page(visible, other)).paragraphs == visible


def test_a_json_ld_body_in_html_is_read_as_text(cleaner: Cleaner) -> None:
    declared = "".join(f"<p>{p}</p>" for p in _DECLARED_PARAGRAPHS)
    assert cleaner.clean(_ld_page(_DECLARED_PARAGRAPHS[:2], declared)).paragraphs == _DECLARED_PARAGRAPHS


# -- the site's name after the headline ---------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "sitename", "host", "headline"), [
    ("Gegenoffensive: Ziele, Chancen, Risiken | DW | 28.04.2023", "DW.COM", "dw.com",
     "Gegenoffensive: Ziele, Chancen, Risiken"),
    ("Was wissen wir? \u2013 DW \u2013 13.06.2023", "DW.COM", "dw.com", "Was wissen wir?"),
    ("\u8b66\u8996\u5e81\u902e\u6355\uff1a\u6771\u4eac\u65b0\u805e\u30c7\u30b8\u30bf\u30eb", "\u6771\u4eac\u65b0\u805e\u30c7\u30b8\u30bf\u30eb",
     "tokyo-np.co.jp", "\u8b66\u8996\u5e81\u902e\u6355"),
    ("\uc81c\ubaa9 \ucee4\uc84c\ub2e4\u3163\ud55c\uad6d\uc77c\ubcf4", "\ud55c\uad6d\uc77c\ubcf4", "hankookilbo.com",
     "\uc81c\ubaa9 \ucee4\uc84c\ub2e4"),
    ("Russia hits Kyiv - National | Globalnews.ca", "Global News", "globalnews.ca", "Russia hits Kyiv"),
    # negatives: a date or a number after a dash that names no site, and a headline with a colon
    ("Harga beras naik - 12.05.2024", "Kompas", "kompas.com", "Harga beras naik - 12.05.2024"),
    ("Skor akhir 2 - 1", "Kompas", "kompas.com", "Skor akhir 2 - 1"),
    ("Ukraine: Was wissen wir?", "DW.COM", "dw.com", "Ukraine: Was wissen wir?"),
    # the author after the site, a star as the separator
    ("Zelensky weighs firing top general * The Gateway Pundit * by Paul Serran", "The Gateway Pundit",
     "thegatewaypundit.com", "Zelensky weighs firing top general"),
    ("Plot twist in murder case | The Gateway Pundit | by Cristina Laila", "The Gateway Pundit",
     "thegatewaypundit.com", "Plot twist in murder case"),
    # negative: a kicker that names the site is part of the headline
    ('Kate Moss auf dem VOGUE-Cover: "Was ich nicht will"', "Vogue Germany", "vogue.de",
     'Kate Moss auf dem VOGUE-Cover: "Was ich nicht will"'),
])
def test_the_site_name_and_a_date_after_it_leave_the_title(title: str, sitename: str, host: str,
                                                           headline: str) -> None:
    from cleaner.html.title import strip_site_suffix

    assert strip_site_suffix(title, sitename, host) == headline


@pytest.mark.parametrize(("title", "sections", "headline"), [
    ("\ubbfc\uc8fc\ub2f9 \ud22c\ud45c\uc81c \ubd88\ubc1c-\uc815\uce58\u3163\ud55c\uad6d\uc77c\ubcf4", ("\uc815\uce58",),
     "\ubbfc\uc8fc\ub2f9 \ud22c\ud45c\uc81c \ubd88\ubc1c"),
    ("Lexus goes topless with the LC500 - Auto News", ("Auto News",), "Lexus goes topless with the LC500"),
    # negatives: a section word inside the headline, a title that is only the section
    ("Auto News - Lexus goes topless", ("Auto News",), "Auto News - Lexus goes topless"),
    ("-Auto News", ("Auto News",), "-Auto News"),
])
def test_the_declared_section_after_the_headline_leaves_it(title: str, sections: tuple[str, ...],
                                                           headline: str) -> None:
    from cleaner.html.title import strip_site_suffix

    assert strip_site_suffix(title, "\ud55c\uad6d\uc77c\ubcf4", "hankookilbo.com", sections) == headline


@pytest.mark.parametrize(("title", "headlines", "printed"), [
    # the social card's straight quotes, the printed headline's curly ones
    ("Doing What's Right, Not What's Easy", ["Doing What\u2019s Right, Not What\u2019s Easy"],
     "Doing What\u2019s Right, Not What\u2019s Easy"),
    # the section and site after a dash without spaces, where the page declares the bare headline
    ("\ubbfc\uc8fc\ub2f9 \ud22c\ud45c\uc81c \ubd88\ubc1c \uacb0\uc815-\uc815\uce58\u3163\ud55c\uad6d\uc77c\ubcf4",
     ["\ubbfc\uc8fc\ub2f9 \ud22c\ud45c\uc81c \ubd88\ubc1c \uacb0\uc815"],
     "\ubbfc\uc8fc\ub2f9 \ud22c\ud45c\uc81c \ubd88\ubc1c \uacb0\uc815"),
    # negatives: a headline that is another text, a short h1 that begins the title (a kicker, the site's
    # name), a title that goes on after the headline without a separator
    ("Tony Blair: Why there has to be compromise", ["Tony Blair: Why there must be a compromise"],
     "Tony Blair: Why there has to be compromise"),
    ("Olympia - Deutsche Basketballer beeindrucken beim Auftakt", ["Olympia"],
     "Olympia - Deutsche Basketballer beeindrucken beim Auftakt"),
    ("Chelsea send a message of intent on a proud day", ["Chelsea send a message of intent on a proud"],
     "Chelsea send a message of intent on a proud day"),
])
def test_the_declared_title_is_taken_as_the_page_prints_it(title: str, headlines: list[str], printed: str) -> None:
    from cleaner.html.title import printed_headline

    assert printed_headline(title, headlines) == printed


def test_an_html_page_gets_its_printed_headline_over_the_social_cards_quotes(cleaner: Cleaner) -> None:
    body = "".join(f"<p>{p}</p>" for p in _SCRIPT_PARAGRAPHS)
    page = ("<html><head><meta property='og:title' content=\"The mayor's harbour wall\"></head><body><article>"
            f"<h1>The mayor\u2019s harbour wall</h1>{body}</article></body></html>")
    assert cleaner.clean(page).title == "The mayor\u2019s harbour wall"


# -- prose in scripts without spaces ---------------------------------------------------------------------------


def test_page_prose_counts_japanese_and_chinese_sentences_not_their_menus() -> None:
    from cleaner.html.body import page_prose

    japanese = ("東京女子医科大の元理事長が大学に不正に約一億二千万円を支払わせ、私的に流用した疑いが強まったとして、"
                "警視庁は背任の疑いで元理事長を逮捕した。")
    chinese = "台湾当局は十五日、南部の港で行われた大規模な演習について、周辺海域の安全を確保するための措置だと説明した。"
    menu = "\n".join(["ニュース", "政治", "経済", "国際", "スポーツ", "首页", "新闻", "财经"])
    assert page_prose("\n".join([menu, japanese, chinese])) == len(japanese) + len(chinese)
    assert page_prose(menu) == 0


# -- a body the page renders from its script data ------------------------------------------------------------------

_SCRIPT_PARAGRAPHS = [
    "The council of Riverton voted on Tuesday to rebuild the old harbour wall after the winter storms.",
    "Work is to start in the spring and should take two years, the mayor told the meeting on Tuesday.",
    "Fishermen who moor inside the wall said they had waited a decade for the repair to be approved.",
]


def _script_page(script: str, visible: str = "") -> str:
    return (f"<html><head><title>Harbour wall</title></head><body><div id='root'>{visible}</div>"
            f"<script>{script}</script></body></html>")


def _content_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


#: A photo and its caption inside the script's markup: read as trafilatura reads a page, the caption goes.
_FIGURE = ("<figure><img src='https://img.example.com/wall.jpg'><figcaption>Workers inspect the old harbour wall "
           "on Monday morning, a day after the storm broke through it in two places.</figcaption></figure>")


@pytest.mark.parametrize("shape", ["push", "next-data", "flight"])
def test_a_body_only_in_script_data_is_read(cleaner: Cleaner, shape: str) -> None:
    state = {"queries": [{"state": {"data": {"detail": {"title": "Harbour wall", "teaser": "Short teaser text.",
                                                        "contentHtml": _FIGURE + _content_html(_SCRIPT_PARAGRAPHS)}}}}]}
    if shape == "push":
        script = f'window["__RQ"] = window["__RQ"] || [];window["__RQ"].push({json.dumps(state)});'
    elif shape == "next-data":
        script = json.dumps({"props": {"pageProps": state}})
    else:
        script = "self.__next_f.push(" + json.dumps([1, "5:" + json.dumps(["$", "div", None, state])]) + ")"
    assert cleaner.clean(_script_page(script), format="html").paragraphs == _SCRIPT_PARAGRAPHS


def test_script_data_of_another_article_does_not_replace_a_printed_one(cleaner: Cleaner) -> None:
    other = ["A different story about the ferry timetable that changes next month for all the islands.",
             "Passengers will have to book ahead in the summer months, the ferry company said on Monday.",
             "The new boats will carry more cars and cut the crossing by a quarter of an hour, it said."] * 3
    state = {"related": {"contentHtml": _content_html(other)}}
    visible = "".join(f"<p>{p}</p>" for p in _SCRIPT_PARAGRAPHS)
    page = _script_page("window.__STATE__ = " + json.dumps(state) + ";", f"<article>{visible}</article>")
    assert cleaner.clean(page, format="html").paragraphs == _SCRIPT_PARAGRAPHS


# -- an article split over several containers ----------------------------------------------------------------------

_PARTS = [
    ["The council of Riverton voted on Tuesday to rebuild the old harbour wall after the winter storms.",
     "Work is to start in the spring and should take two years, the mayor told the meeting on Tuesday evening.",
     "Fishermen who moor inside the wall said they had waited a decade for the repair to be approved at last."],
    ["The rebuilt wall will be a metre higher than the old one and will carry a footpath along its top.",
     "Engineers said the new stone would come from a quarry twenty kilometres up the coast from the town.",
     "The cost, about twelve million euros, will be shared by the town, the region and a national fund.",
     "Boats will moor at a temporary pontoon on the east side of the harbour while the works go on."],
    ["Residents can see the plans at the town hall until the end of the month, the council said in a note.",
     "A public meeting on the works is to be held in the harbour master's office on the first of March.",
     "Those who cannot attend may send their questions to the council by post or by e-mail, it said on Friday."],
]


def _split_page(after: str = "", ad_between: bool = True) -> str:
    ad = "<div class='ad-slot'><p>Advertisement</p><iframe src='https://ads.example.com'></iframe></div>"
    parts = [f"<div class='body articleBody -wide'>{''.join(f'<p>{p}</p>' for p in part)}</div>" for part in _PARTS]
    joined = (ad if ad_between else "").join(f"<div class='article--content'>{part}</div>" for part in parts)
    return (f"<html><head><title>Harbour wall</title></head><body><main><h1>Harbour wall to be rebuilt</h1>"
            f"{joined}{after}</main></body></html>")


def test_an_article_split_around_ads_is_read_whole(cleaner: Cleaner) -> None:
    assert cleaner.clean(_split_page(), format="html").paragraphs == [p for part in _PARTS for p in part]


def test_teasers_in_the_same_kind_of_container_are_not_the_article(cleaner: Cleaner) -> None:
    teasers = "".join(f"<div class='article--content'><div class='body articleBody'><p>{t}</p></div></div>"
                      for t in ["Ferry fares are to rise in the new year, the operator said on Monday ...",
                                "The school roof repairs were finished ahead of the new term, the head said ..."])
    paragraphs = cleaner.clean(_split_page(after=f"<aside>{teasers}</aside>"), format="html").paragraphs
    assert paragraphs == [p for part in _PARTS for p in part]


def test_the_next_article_below_a_headline_is_not_a_part(cleaner: Cleaner) -> None:
    following = ("<h1>Ferry fares to rise</h1><div class='article--content'><div class='body articleBody'>"
                 + "".join(f"<p>Ferry fares are to rise by a tenth in the new year on the {line} line, the operator said at "
                           "a meeting on Monday.</p>" for line in ("north", "south", "island", "river"))
                 + "</div></div>")
    paragraphs = cleaner.clean(_split_page(after=following), format="html").paragraphs
    assert not any("Ferry" in p for p in paragraphs)
    assert paragraphs[: len(_PARTS[0])] == _PARTS[0]


def test_parts_the_extraction_already_holds_are_not_added_twice(cleaner: Cleaner) -> None:
    paragraphs = cleaner.clean(_split_page(ad_between=False), format="html").paragraphs
    assert paragraphs == [p for part in _PARTS for p in part]


# -- the standfirst the extractor leaves in the article's header -----------------------------------------------------

_STANDFIRST = "Storms breached the wall twice last winter; the repair will take two years and cost twelve million."


def _standfirst_page(printed_in_header: bool, footer: bool = False) -> str:
    header = f"<p class='dek'>{_STANDFIRST}</p>" if printed_in_header else ""
    foot = f"<footer><p>{_STANDFIRST}</p></footer>" if footer else ""
    body = "".join(f"<p>{p}</p>" for p in _SCRIPT_PARAGRAPHS)
    return (f"<html><head><title>Harbour wall</title><meta name='description' content='{_STANDFIRST}'></head><body>"
            f"<header class='article-header'><h1>Harbour wall to be rebuilt</h1>{header}</header>"
            f"<div class='story'>{body}</div>{foot}</body></html>")


def test_the_printed_standfirst_opens_the_body(cleaner: Cleaner) -> None:
    assert cleaner.clean(_standfirst_page(True), format="html").paragraphs == [_STANDFIRST, *_SCRIPT_PARAGRAPHS]


@pytest.mark.parametrize("footer", [False, True])
def test_a_description_not_printed_above_the_article_is_not_added(cleaner: Cleaner, footer: bool) -> None:
    # only in the meta tags, or printed far from the article's head: not the article's standfirst
    assert cleaner.clean(_standfirst_page(False, footer), format="html").paragraphs == _SCRIPT_PARAGRAPHS


def test_script_data_is_read_within_limits() -> None:
    from lxml import html as lxml_html

    from cleaner.html.body import MAX_SCRIPT_VALUES, script_values

    many = "".join(f"var a{n} = {{\"k\": {n}}};" for n in range(5_000))
    broken = "var b = {not json};" * 5_000 + 'var c = {"contentHtml": "<p>late</p>"};'
    tree = lxml_html.fromstring(f"<html><body><script>{many}</script><script>{broken}</script></body></html>")
    values = script_values(tree)
    assert len(values) == MAX_SCRIPT_VALUES
    tree = lxml_html.fromstring(f"<html><body><script>{broken}</script></body></html>")
    assert script_values(tree) == []  # the attempts ran out before the last one
