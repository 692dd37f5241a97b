"""The chrome vocabulary of every language (rules/generic/lexicon/): each concept's phrases removed on a line of
their own and glued into one-line text, and their negative twins (prose that uses the same words) kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.ruleset.lexicon import alternation, lexicon_problems, phrase_pattern

LEXICON = Path(__file__).resolve().parents[2] / "rules" / "generic" / "lexicon"

#: Per language: two sentences of an article, chrome lines of several concepts, and prose using their words.
CASES = {
    "en": (["The council approved the budget on Tuesday after a long debate about road repairs and schools.",
            "The mayor said the new spending would start in January and be reviewed every three months."],
           ["Read also: Council votes to close two libraries", "Advertisement", "Loading Instagram",
            "Photo: John Smith/Getty Images", "CLICK HERE to report a typo."],
           ["Read more about the plan in the report the council published on its website last week.",
            "The advertisement for the post was published in three national newspapers in March."]),
    "ms": (["Kerajaan mengumumkan pelan baharu untuk sektor pertanian pada hari ini di ibu negara.",
            "Menteri berkata pelan itu akan dilaksanakan secara berperingkat mulai tahun depan."],
           ["Baca juga: Harga Beras Naik Lagi", "Iklan", "Gambar fail: Bernama"],
           ["Para pelajar diminta baca juga buku panduan yang diedarkan oleh pihak sekolah minggu lalu."]),
    "de": (["Die Regierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen.",
            "Der Minister sagte, die Förderung solle ab Januar gelten und jährlich überprüft werden."],
           ["Lesen Sie auch: Streit um Windräder geht weiter", "Anzeige", "Externer Inhalt", "Foto: dpa"],
           ["Die Anzeige gegen den Bürgermeister wurde nach Angaben der Staatsanwaltschaft inzwischen geprüft."]),
    "fr": (["Le gouvernement a présenté mardi un plan pour moderniser les lignes de train régionales du pays.",
            "Le ministre a précisé que les travaux commenceront au printemps et dureront trois ans."],
           ["Lire aussi : Grève à la SNCF, le trafic perturbé", "Publicité", "Crédit photo : AFP"],
           ["La publicité pour le nouveau service sera diffusée à la télévision à partir de la semaine prochaine."]),
    "es": (["El Gobierno anunció este martes un plan para ampliar la red de metro de la capital del país.",
            "El ministro explicó que las obras comenzarán en primavera y durarán al menos tres años."],
           ["Lea también: Las claves del nuevo presupuesto", "Publicidad", "Foto: EFE",
            "(También le puede interesar: )"],
           ["La publicidad del nuevo servicio se emitirá en televisión a partir de la próxima semana."]),
    "pt": (["O governo anunciou nesta terça-feira um plano para ampliar a rede de metrô da capital.",
            "O ministro explicou que as obras vão começar na primavera e durar pelo menos três anos."],
           ["Leia também: Prefeitura anuncia novas linhas de ônibus", "Publicidade", "Foto: Agência Brasil"],
           ["Saiba mais sobre o programa no site da prefeitura, que publicou as regras na semana passada."]),
    "it": (["Il governo ha presentato martedì un piano per ammodernare le linee ferroviarie regionali.",
            "Il ministro ha spiegato che i lavori inizieranno in primavera e dureranno tre anni."],
           ["Leggi anche: Sciopero dei treni, le fasce garantite", "Pubblicità", "Foto: Ansa"],
           ["La pubblicità del nuovo servizio andrà in onda in televisione a partire dalla prossima settimana."]),
    "nl": (["De regering heeft dinsdag een plan gepresenteerd om het regionale spoornet te moderniseren.",
            "De minister zei dat de werkzaamheden in het voorjaar beginnen en drie jaar duren."],
           ["Lees ook: Staking bij de NS, treinverkeer verstoord", "Advertentie", "Foto: ANP"],
           ["De advertentie voor de nieuwe functie verscheen vorige week in drie landelijke kranten."]),
    "vi": (["Chính phủ hôm thứ Ba đã công bố kế hoạch mở rộng mạng lưới tàu điện ngầm của thủ đô.",
            "Bộ trưởng cho biết công trình sẽ bắt đầu vào mùa xuân và kéo dài ít nhất ba năm."],
           ["Xem thêm: Giá xăng dầu tiếp tục tăng", "Quảng cáo", "Ảnh: Ngọc Thành"],
           ["Người dân có thể xem thêm thông tin về dự án trên trang điện tử của thành phố từ tuần tới."]),
    "tl": (["Inanunsyo ng pamahalaan nitong Martes ang plano na palawakin ang linya ng tren sa kabisera.",
            "Sinabi ng kalihim na magsisimula ang proyekto sa susunod na taon at tatagal ng tatlong taon."],
           ["Basahin din: Presyo ng bigas tumaas muli", "Patalastas", "Larawan: Juan Cruz"],
           ["Hinimok ng paaralan ang mga magulang na basahin din ang gabay na ipinamahagi noong nakaraang linggo."]),
    "tr": (["Hükümet salı günü başkentteki metro ağını genişletmek için yeni bir plan açıkladı.",
            "Bakan, çalışmaların ilkbaharda başlayacağını ve en az üç yıl süreceğini söyledi."],
           ["İlgili haber: Akaryakıt fiyatları yeniden arttı", "Reklam", "Fotoğraf: AA"],
           ["Reklam sektöründe çalışanların sayısı geçen yıl yüzde on oranında arttı, dedi yetkililer."]),
    "lv": (["Valdība otrdien apstiprināja jaunu plānu reģionālo dzelzceļa līniju modernizācijai visā valstī.",
            "Ministrs norādīja, ka darbi sāksies pavasarī un ilgs vismaz trīs gadus, un pašvaldības tiks iesaistītas."],
           ["Lasi arī: Rīgā slēgs divas skolas", "Reklāma", "Foto: LETA", "Komentāri", "Dalīties"],
           ["Reklāma televīzijā pagājušajā gadā izmaksāja vairāk nekā jebkad agrāk, liecina pētījums."]),
    "th": (["รัฐบาลประกาศแผนขยายเครือข่ายรถไฟฟ้าในกรุงเทพมหานครและปริมณฑลเมื่อวันอังคารที่ผ่านมา "
            "โดยจะเริ่มก่อสร้างเส้นทางใหม่สามสายภายในปีหน้า",
            "รัฐมนตรีกล่าวว่าการก่อสร้างจะเริ่มในช่วงต้นปีและใช้เวลาอย่างน้อยสามปี "
            "ก่อนที่จะเปิดให้บริการแก่ประชาชนทั่วไปอย่างเป็นทางการ"],
           ["อ่านเพิ่มเติม: ราคาน้ำมันปรับขึ้นอีกครั้ง", "โฆษณา", "ภาพ: รอยเตอร์", "แชร์", "ความคิดเห็น"],
           ["ผู้ประกอบการโฆษณาหลายรายระบุว่ารายได้จากสื่อออนไลน์เพิ่มขึ้นอย่างต่อเนื่องตลอดปีที่ผ่านมา "
            "ขณะที่สื่อสิ่งพิมพ์ลดลงอย่างมาก"]),
}


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.mark.parametrize("language", sorted(CASES))
def test_each_languages_chrome_leaves_on_its_own_line(cleaner: Cleaner, language: str) -> None:
    article, chrome, _ = CASES[language]
    for line in chrome:
        page = "\n\n".join([article[0], line, article[1]])
        text = cleaner.clean(page, format="text").text
        assert line not in text, (language, line)
        assert article[0] in text and article[1] in text, (language, line)


@pytest.mark.parametrize("language", sorted(CASES))
def test_each_languages_prose_that_uses_the_words_stays(cleaner: Cleaner, language: str) -> None:
    article, _, prose = CASES[language]
    for sentence in prose:
        page = "\n\n".join([article[0], sentence, article[1]])
        text = cleaner.clean(page, format="text").text
        assert sentence in text, (language, sentence)


@pytest.mark.parametrize("language", ["en", "de", "es", "it", "nl"])
def test_a_read_also_label_glued_into_one_line_text_leaves_with_its_headline(cleaner: Cleaner,
                                                                            language: str) -> None:
    article, chrome, _ = CASES[language]
    label = chrome[0]
    page = article[0] + label + article[1]  # glued where the tags met, no space either side
    text = cleaner.clean(page, format="text").text
    assert article[0] in text and article[1] in text, text
    assert label.split(":")[1].strip() not in text, text


def test_international_datelines_and_credits(cleaner: Cleaner) -> None:
    body = "The government approved the plan on Tuesday after a long debate about its cost and timing."
    for dateline, place, agency in [("LONDON (Reuters) - ", "London", "Reuters"),
                                    ("WASHINGTON (AP) — ", "Washington", "AP"),
                                    ("NEW YORK, March 3 (Reuters) - ", "New York", "Reuters"),
                                    ("KUALA LUMPUR: ", "Kuala Lumpur", None), ("(AFP) - ", None, "AFP")]:
        result = cleaner.clean(dateline + body + "\n\n" + body.replace("Tuesday", "Monday"), format="text")
        assert result.text.startswith(body), (dateline, result.text[:80])
        assert result.dateline == place and (agency is None or result.agency == agency), dateline
    for caption in ["Supporters gather outside the court on Monday. (AP Photo/Evan Vucci)",
                    "Troops remain in the country 18 years after the invasion [File: Reuters]",
                    "The mayor speaks to reporters in Madrid. Getty Images"]:
        text = cleaner.clean(body + "\n\n" + caption + "\n\n" + body.replace("plan", "law"), format="text").text
        assert caption not in text, caption
    # a label in capitals is no place, and a sentence about an agency keeps its words
    update = "UPDATE: The council later said the vote would be held again next week after complaints."
    assert cleaner.clean(update + "\n\n" + body, format="text").text.startswith(update)
    getty = "The photographs were licensed from Getty Images, the agency said in a statement on Monday."
    assert getty in cleaner.clean(body + "\n\n" + getty, format="text").text


def test_every_lexicon_file_is_valid_and_names_its_language() -> None:
    import yaml

    files = sorted(LEXICON.glob("*.yaml"))
    assert len(files) >= 12
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem and not lexicon_problems(data, 1), path
        assert {"read_also", "advertisement", "photo_credit"} <= set(data["lexicon"]), path


def test_a_phrase_is_literal_and_longest_first() -> None:
    assert phrase_pattern("Read  also") == r"Read\s+also"
    assert phrase_pattern("C++ (beta)") == r"C\+\+\s+\(beta\)"
    assert alternation(["Read", "Read also"]) == r"(?:Read\s+also|Read)"
    assert lexicon_problems({"lexicon": {"read_also": ["x"]}}, 3) == [
        (3, "a 'lexicon' needs the file's 'language' (an ISO 639-1 code such as 'en')")]


def test_a_literal_line_naming_a_concept_is_a_line_per_phrase() -> None:
    from cleaner.ruleset.lexicon import expand_literal

    phrases = {"lexicon_advertisement": ["Anzeige", "Publicidad"]}
    assert expand_literal("{{lexicon_advertisement}}:", phrases) == ["Anzeige:", "Publicidad:"]
    assert expand_literal("Plain line", phrases) == ["Plain line"]
    assert expand_literal("{{lexicon_nothing}}", phrases) is None


def test_a_rule_file_may_name_an_unknown_concept_only_with_an_error(tmp_path: Path) -> None:
    from cleaner.errors import RuleFileError
    from cleaner.ruleset.loader import load_rules

    folder = tmp_path / "rules" / "generic"
    folder.mkdir(parents=True)
    (folder / "x.yaml").write_text("id: x\nrules:\n  - id: a\n    action: drop_line\n    text: ['{{lexicon_nope}}']\n",
                                   encoding="utf-8")
    with pytest.raises(RuleFileError, match="names a lexicon concept no file lists"):
        load_rules([tmp_path / "rules"], bundled=False)


def test_bylines_of_other_languages_become_authors(cleaner: Cleaner) -> None:
    body = ["A Prefeitura anunciou nesta sexta-feira um plano para ampliar o atendimento nas unidades de saúde.",
            "O secretário explicou que as novas equipes começam a trabalhar no próximo mês em todos os bairros."]
    line = "05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: saúde prefeitura"
    result = cleaner.clean("\n\n".join([line, *body]), format="text")
    assert result.authors == ["Clarissa Borba"] and result.category == "Saúde" and result.published == "2018-10-05"
    assert line not in result.text and all(p in result.text for p in body)
    result = cleaner.clean("\n\n".join([*body, "Com redação de Salma Freua"]), format="text")
    assert result.authors == ["Salma Freua"] and "Salma" not in result.text
    result = cleaner.clean("\n\n".join([*body, "Copyright 2019 by Amy Dickinson"]), format="text")
    assert result.authors == ["Amy Dickinson"]
    # a company is no author, and a sentence that says who published something is the article's
    result = cleaner.clean("\n\n".join([*body, "Published by Associated Newspapers Ltd"]), format="text")
    assert result.authors == []
    sentence = "O relatório foi publicado por técnicos da secretaria depois de três meses de análise dos dados."
    assert sentence in cleaner.clean("\n\n".join([body[0], sentence, body[1]]), format="text").text


@pytest.mark.parametrize("chrome", ["Article content", "Thanks for signing up!", "Share this item on Facebook",
                                    "Copy link", "Vis mer", "Mehr anzeigen", "© DPA Images | Christoph Soeder",
                                    "Anadolu via Getty Images)", "Credits: Supplied Image;", "1:23 min"])
def test_interface_labels_widgets_and_credits_leave(cleaner: Cleaner, chrome: str) -> None:
    article = CASES["en"][0]
    text = cleaner.clean("\n\n".join([article[0], chrome, article[1]]), format="text").text
    assert chrome not in text and article[0] in text and article[1] in text


def test_sentences_with_the_same_words_stay(cleaner: Cleaner) -> None:
    article = CASES["en"][0]
    for sentence in ["Residents can sign up for the new bus pass at any library from Monday, the council said.",
                     "The article content was checked by two editors before it was published on Tuesday morning."]:
        text = cleaner.clean("\n\n".join([article[0], sentence, article[1]]), format="text").text
        assert sentence in text


#: The concepts read as whole lines: a comment section's labels, account and paywall buttons, a consent banner's
#: buttons, the page's tools. Every phrase of every language leaves between two paragraphs.
LINE_CONCEPTS = ("comments", "account", "consent", "page_tools")


def _lexicon(language: str) -> dict[str, list[str]]:
    import yaml

    data = yaml.safe_load((LEXICON / f"{language}.yaml").read_text(encoding="utf-8"))
    return data["lexicon"]


@pytest.mark.parametrize("language", sorted(p.stem for p in LEXICON.glob("*.yaml")))
def test_every_phrase_of_the_line_concepts_leaves(cleaner: Cleaner, language: str) -> None:
    article = CASES["en"][0]
    lexicon = _lexicon(language)
    for concept in LINE_CONCEPTS:
        assert lexicon.get(concept), (language, concept)  # every language names every line concept
        for phrase in lexicon[concept]:
            text = cleaner.clean("\n\n".join([article[0], phrase, article[1]]), format="text").text
            # the phrase leaves; a few also end the article ("Tulis komentar" opens an Indonesian comment box)
            assert text in ("\n\n".join(article), article[0]), (language, concept, phrase, text)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "pt", "it", "nl", "id", "ms", "vi", "tl", "tr"])
def test_a_consent_notice_leaves_by_its_opening_words(cleaner: Cleaner, language: str) -> None:
    article = CASES["en"][0]
    for opening in _lexicon(language)["consent_opening"]:
        notice = f"{opening} to improve your experience, to show you ads and to measure the audience of the site."
        text = cleaner.clean("\n\n".join([article[0], notice, article[1]]), format="text").text
        assert notice not in text and article[0] in text and article[1] in text, (language, opening)


@pytest.mark.parametrize("sentence", [
    "Readers can leave a comment below the article or reply to other readers until Friday evening.",
    "The company said it will accept all applications that arrive before the end of the month.",
    "Sie können die Kommentare anderer Leser lesen und auf sie antworten, sagte die Redaktion am Montag.",
    "The court heard that the print edition sold fewer copies this year than in any year before it.",
    "Cookies are small files, the regulator explained, and websites must ask before they store them.",
])
def test_prose_with_the_line_concepts_words_stays(cleaner: Cleaner, sentence: str) -> None:
    article = CASES["en"][0]
    text = cleaner.clean("\n\n".join([article[0], sentence, article[1]]), format="text").text
    assert sentence in text


@pytest.mark.parametrize("count", ["12 Kommentare", "Forum: 5 Postings", "All Comments 4", "Commenti (3)",
                                   "8 comentarios", "3 reacties", "15 yorum", "Комментарии 7"])
def test_a_comment_count_leaves(cleaner: Cleaner, count: str) -> None:
    article = CASES["en"][0]
    text = cleaner.clean("\n\n".join([article[0], count, article[1]]), format="text").text
    assert text == "\n\n".join(article), count


@pytest.mark.parametrize(("language", "stamp", "published"), [
    ("de", "Publiziert: 01.07.2023, 11:16", "2023-07-01T11:16"), ("de", "Erstellt: 28.04.2023, 18:16 Uhr",
                                                                    "2023-04-28T18:16"),
    ("de", "3. Mai 2024, 17:47", "2024-05-03T17:47"), ("de", "28.04.2024 | 09:36 Uhr", "2024-04-28T09:36"),
    ("de", "Publié le 5 janvier 2025 à 15h24", "2025-01-05T15:24"), ("de", "5 gennaio 2025", "2025-01-05"),
    ("de", "28. April 2024 um 10:17 Uhr", "2024-04-28T10:17"),
    # the month first, the time first, a label above its date, AM/PM (English pages: their rules are scoped)
    ("en", "17:41 JST, October 13, 2024", "2024-10-13T17:41"), ("en", "Published May 07, 2025", "2025-05-07"),
    ("en", "Publikacja:\n\n19.04.2026 19:05", "2026-04-19T19:05"),
    ("en", "April 28, 2024 3:00 PM", "2024-04-28T15:00"), ("en", "Apr 28, 2024 3:00 a.m.", "2024-04-28T03:00"),
])
def test_date_stamps_leave_and_give_the_date(cleaner: Cleaner, language: str, stamp: str, published: str) -> None:
    article = CASES[language][0]
    result = cleaner.clean("\n\n".join([article[0], stamp, article[1]]), format="text")
    assert result.text == "\n\n".join(article), stamp
    assert result.published is not None and result.published.startswith(published), (stamp, result.published)


@pytest.mark.parametrize("chrome", ["Aktualisiert am 07.01.2026 - 18:50 UhrLesedauer: 4 Min.",
                                    "Aktuelle Zeit:0:00Gesamtdauer:0:00", "Player wird geladen",
                                    "Mehr aus dem Ressort", "Artikel-Tools", "Kommentieren / Forum lesen",
                                    "Lesen Sie auch", "Mehr von CORRECTIV", "vor 3 Stundenvor 3 Stunden",
                                    "Du kannst ihn dir mit einem Klick anzeigen lassen und wieder ausblenden."])
def test_german_stamps_players_and_tools_leave(cleaner: Cleaner, chrome: str) -> None:
    article = CASES["de"][0]
    assert cleaner.clean("\n\n".join([article[0], chrome, article[1]]), format="text").text == "\n\n".join(article)


NORDIC = {
    "da": ["Regeringen fremlagde tirsdag et nyt forslag om støtte til husstande i hele landet efter vinteren.",
           "Statsministeren sagde, at ordningen skal gælde fra januar og vurderes hvert halve år fremover."],
    "no": ["Regjeringen la tirsdag fram et nytt forslag om strømstøtte til husholdninger over hele landet.",
           "Statsministeren sa at ordningen skal gjelde fra januar og vurderes hvert halvår framover."],
}


@pytest.mark.parametrize(("language", "chrome"), [
    ("es", "Actualizado a las 20:56h."), ("es", "Noticia relacionada"), ("es", "Regala esta noticia"),
    ("es", "Suscribete"), ("it", "Salva questo articolo e leggilo quando vuoi."),
    ("it", "Non hai un account? Registrati in 1 minuto Accedi"), ("da", "Gem på læseliste"), ("no", "Lukk"),
    ("nl", "Vandaag om 20:07"), ("nl", "Bron: BELGA"), ("es", "Fuente: EFE"), ("no", "Kort fortalt"),
])
def test_more_widgets_stamps_and_sources_of_other_languages_leave(cleaner: Cleaner, language: str,
                                                                  chrome: str) -> None:
    article = NORDIC.get(language) or CASES[language][0]
    text = cleaner.clean("\n\n".join([article[0], chrome, article[1]]), format="text").text
    assert text == "\n\n".join(article), chrome


def test_a_source_line_names_the_agency(cleaner: Cleaner) -> None:
    article = CASES["nl"][0]
    assert cleaner.clean("\n\n".join([*article, "Bron: BELGA"]), format="text").agency == "BELGA"


@pytest.mark.parametrize("chrome", ["Afficher plus", "La rédaction vous conseille",
                                    "Suivez les informations sur la guerre en Ukraine avec l'application du Figaro"])
def test_french_widgets_and_app_promos_leave(cleaner: Cleaner, chrome: str) -> None:
    article = CASES["fr"][0]
    assert cleaner.clean("\n\n".join([article[0], chrome, article[1]]), format="text").text == "\n\n".join(article)


def test_a_french_sentence_about_an_app_stays(cleaner: Cleaner) -> None:
    sentence = ("Les usagers suivent désormais les horaires des trains avec l'application de la région, a précisé "
                "le ministre.")
    assert sentence in _between_two_paragraphs(cleaner, sentence, "fr")


def test_a_line_of_figures_with_dots_is_no_date(cleaner: Cleaner) -> None:
    article = CASES["de"][0]
    for line in ["Die Preise stiegen um 1.5 bis 2.3 Prozent.", "2024 bis 2026 sollen 3.000 Wohnungen entstehen."]:
        assert line in cleaner.clean("\n\n".join([article[0], line, article[1]]), format="text").text


def test_a_pictures_copyright_credit_leaves_and_the_article_goes_on(cleaner: Cleaner) -> None:
    article = CASES["en"][0]
    more = "The plan still needs the approval of the regional government, which meets again in March."
    for credit in [["Copyright", "AP Photo"], ["Copyright AP Photo"], ["Copyright Fredrik Persson/AP"]]:
        text = cleaner.clean("\n\n".join([article[0], *credit, article[1], more]), format="text").text
        assert text == "\n\n".join([*article, more]), (credit, text)


def test_a_sentence_opening_with_copyright_is_the_articles(cleaner: Cleaner) -> None:
    article = CASES["en"][0]
    sentence = "Copyright holders sued the platform last year, and the case is still before the court."
    text = cleaner.clean("\n\n".join([article[0], sentence, article[1]]), format="text").text
    assert text == "\n\n".join([article[0], sentence, article[1]])
    notice = ("Copyright 2025 © RCS Mediagroup S.p.a. Tutti i diritti sono riservati | Data Mining Policy | Per la "
              "pubblicità: RCS MediaGroup S.p.A. - Dir. Communication Solutions")
    text = cleaner.clean("\n\n".join([article[0], article[1], notice, "Chi Siamo"]), format="text").text
    assert text == "\n\n".join(article)


def test_a_comment_thread_leaves_comment_by_comment(cleaner: Cleaner) -> None:
    """A reader's comment: its author line, date, text and the reply button under it, in any language."""
    article = CASES["de"][0]
    thread = ["12 Kommentare", "Modern Wife sagt:", "28. April 2024 um 10:17 Uhr",
              "Die Beobachtungen sind richtig, aber was steckt da hinter? Das sind nicht bloß reaktionäre Fantasien.",
              "Antworten", "kanu sukha says:", "5 May 2025 at 00:46",
              "When the most civilised state in the world defends its ally, we should not be surprised at all.",
              "Log in to Reply"]
    text = cleaner.clean("\n\n".join([article[0], article[1], *thread]), format="text").text
    assert text == "\n\n".join(article), text


def test_a_quote_introduced_by_says_stays(cleaner: Cleaner) -> None:
    """Negative twin: "Der Minister sagt:" and the quote under it, with no reply button below, are the
    article's."""
    article = CASES["de"][0]
    quote = ["Der Minister sagt:", "„Wir werden die Förderung verdoppeln, sobald der Haushalt es zulässt.“"]
    text = cleaner.clean("\n\n".join([article[0], *quote, article[1]]), format="text").text
    assert all(line in text for line in [*quote, *article]), text


def _between_two_paragraphs(cleaner: Cleaner, line: str, language: str = "en") -> str:
    """The cleaned text of an article (English by default) whose two paragraphs have `line` between them."""
    article = CASES[language][0]
    return cleaner.clean("\n\n".join([article[0], line, article[1]]), format="text").text


@pytest.mark.parametrize("chrome", [
    # share bars one button a line, gallery counts, player controls
    "Facebook", "WhatsApp", "Email", "X", "Artikel teilen", "Partager", "Compartir", "View 3 Images", "12 Bilder",
    "1/12", "1.0x", "0.8x", "이미지 확대보기", "Vollbild",
    # rights notices, newsletter fine print, the video player's fallback
    "Alle Rechte vorbehalten. Nutzung ausschließlich für den privaten Eigenbedarf.", "Tous droits réservés",
    "Example Media 2025. All rights reserved.",
    "By providing your email address, you have read and agree to our Terms and Conditions and Privacy Policy.",
    "By signing up you consent to receive the above newsletter from Example Network Inc.",
    "To view this video please enable JavaScript, and consider upgrading to a web browser that supports HTML5 video",
    "A welcome email is on its way. If you don't see it, please check your junk folder.",
    # a paywall or registration box's offers, the player's failure notice, numbered ad slots, a contact bullet
    "Unlimited online access to Example Post and 15 news sites with one account.",
    "Subscribe now to read the latest news in your city and across the country.",
    "Example Post ePaper, an electronic replica of the print edition to view on any device, share and comment on.",
    "If you are a Home delivery print subscriber, online access is included in your subscription.",
    "You can save this article by registering for free here. Or sign-in if you have an account.",
    "Exclusive articles from Ann Lee, Bob Marsh and others.", "SUBSCRIBE TO UNLOCK MORE ARTICLES",
    "REGISTER / SIGN IN TO UNLOCK MORE ARTICLES", "Enjoy additional articles per month.", "Sign In or Create an Account",
    "We apologize, but this video has failed to load.", "Advertisement 2", "• Email: writer@example.com",
    "The next issue of Top Stories will soon be in your inbox.", "Interested in more newsletters? Browse here.",
    "Published May 07, 2025", "Last updated 21 hours ago", "Descrease article font size",
    # shopping widgets and affiliate notices, the writer's page link
    "$139 at REI", "$380 at Amazon (Regular)", "29,99 € bei Otto", "View all posts by Emily Zemler",
    "22 hours ago", "Just R20 for the first month. Support independent journalism by subscribing to our package.",
    "Embed", "More on World", "Share this item via Telegram", "Create a FREE account to continue reading",
    "I would like to be emailed about offers, event and updates from Example News. Read our privacy notice.",
    ">> Sign up for our morning briefing here", "View author publications", "Search author on:", "PubMed",
    "Open Navigation Menu", "Updated20:49, 5 Aug 2024", "previous post",
    "—Associated Press writer John Leicester in Paris contributed to this report.",
    "With reporting by Associated Press writer Sheikh Saaliq", "– additional reporting by Donald Matthys",
    "Would you like to comment on this article?", "21:00Antony Clements-Thrower", "20:42KEY EVENT", "Key Events",
    "Get daily Canada news delivered to your inbox so you'll never miss the day's top stories.",
    "Add Example News as a Preferred Source on Google to see more of our stories in your search results.",
    "If you buy something using links in our stories, we may earn a commission. This helps support our journalism.",
    "This article contains affiliate links, which means we may receive a commission on purchases.",
])
def test_page_widgets_and_fine_print_leave(cleaner: Cleaner, chrome: str) -> None:
    assert _between_two_paragraphs(cleaner, chrome) == "\n\n".join(CASES["en"][0]), chrome


@pytest.mark.parametrize("sentence", [
    "Facebook said on Monday that it would appeal the ruling before the end of the month.",
    "The museum will show 12 pictures by the painter that have never been exhibited before.",
    "The union said all rights reserved for workers under the old contract would be kept in full.",
    "By signing up more volunteers, the council hopes to keep the library open on Sundays.",
    "The paper said it would offer unlimited online access to students at no cost from September.",
    "Readers who subscribe now to read the paper online will pay half the price, the publisher said.",
    "Advertisement 2 of the campaign showed the mayor on a bicycle, which critics called a stunt.",
    "If you are a subscriber, the company said, your data was not among the files that were stolen.",
    "The jacket costs $139 at REI and about the same at most outdoor shops in the city.",
    "More on Tuesday as the talks resume, the union said in a statement to its members.",
    "I would like to thank the volunteers, the mayor said, before opening the new library on Monday.",
    "Reporting by local volunteers helped the council find the damaged roads faster, the mayor said.",
    "08:00 Opening Ceremony",
    "Critics said the site's affiliate links were not marked clearly enough for readers to notice them.",
])
def test_sentences_with_the_widgets_words_stay(cleaner: Cleaner, sentence: str) -> None:
    assert sentence in _between_two_paragraphs(cleaner, sentence)


# -- rules scoped to languages --------------------------------------------------------------------------------

REKLAME_NO = ("Regjeringen la tirsdag fram et nytt forslag om strømstøtte til husholdninger over hele landet.\n\n"
              "Reklame\n\nStatsministeren sa at ordningen skal gjelde fra januar og vurderes hvert halvår framover.")
REKLAME_ID = ("Pemerintah Kota Bandung mencatat kenaikan pendapatan asli daerah sepanjang tahun ini dibandingkan "
              "tahun lalu.\n\nKenaikan itu berasal dari sejumlah pajak daerah berikut:\n\nPajak Hotel\n\nPajak "
              "Restoran\n\nReklame\n\nPajak Parkir\n\nWali kota mengatakan penerimaan dari pajak tersebut akan "
              "digunakan untuk memperbaiki jalan.")


def test_a_rule_scoped_to_languages_acts_on_their_pages_only(cleaner: Cleaner) -> None:
    """"Reklame" is the Norwegian ad label and the Indonesian word for a billboard: on a Norwegian page it
    leaves, in an Indonesian article's list of taxes it stays."""
    norwegian = cleaner.clean(REKLAME_NO, format="text")
    assert norwegian.language == "no" and "Reklame" not in norwegian.text
    indonesian = cleaner.clean(REKLAME_ID, format="text")
    assert indonesian.language == "id" and indonesian.text == REKLAME_ID


def test_a_scoped_rule_acts_on_its_language_only(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    (folder / "generic").mkdir(parents=True)
    (folder / "generic" / "x.yaml").write_text("id: x\nrules:\n  - id: ad\n    action: drop_line\n"
                                               "    languages: [de]\n    text: [Werbeblock]\n", encoding="utf-8")
    scoped = Cleaner([folder], bundled_rules=False)
    german = ("Die Regierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen, "
              "sagte der Minister.\n\nWerbeblock\n\nDer Minister sagte, die Förderung solle ab Januar gelten und "
              "jährlich überprüft werden.")
    assert "Werbeblock" not in scoped.clean(german, format="text").text
    english = german.replace("Die Regierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien "
                             "beschlossen, sagte der Minister.", "The council approved the budget on Tuesday after "
                             "a long debate about road repairs and schools.").replace(
        "Der Minister sagte, die Förderung solle ab Januar gelten und jährlich überprüft werden.",
        "The mayor said the new spending would start in January and be reviewed every three months.")
    assert "Werbeblock" in scoped.clean(english, format="text").text


@pytest.mark.parametrize(("value", "message"), [("de", "must be a list"), ("[]", "must be a list"),
                                                ("[German]", "must be a list"), ("[no, da]", "write 'no'")])
def test_languages_must_be_a_list_of_codes(tmp_path: Path, value: str, message: str) -> None:
    from cleaner import RuleFileError

    folder = tmp_path / "rules"
    (folder / "generic").mkdir(parents=True)
    (folder / "generic" / "x.yaml").write_text(f"id: x\nrules:\n  - id: ad\n    action: drop_line\n"
                                               f"    languages: {value}\n    text: [Werbeblock]\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=regex_escape(message)):
        Cleaner([folder], bundled_rules=False)


def regex_escape(text: str) -> str:
    import re

    return re.escape(text)


def test_a_pages_plan_holds_the_rules_of_its_language_only(cleaner: Cleaner) -> None:
    from cleaner.ruleset.model import Action

    def ids(language: str | None) -> set[str]:
        return {rule.id for rule in cleaner.plan(None, language).rules(Action.DROP_LINE)}

    assert "ads/ad-label-own-language" in ids("no") & ids("da")
    assert "ads/ad-label-own-language" not in ids("id") | ids(None)  # a page whose language is unknown: none
    scoped_to_no = {rule.id for rules in cleaner.rulesets for rule in rules.rules
                    if rule.action is Action.DROP_LINE and rule.languages and "no" in rule.languages}
    assert "ads/ad-label-own-language" in scoped_to_no
    assert ids("id") - ids("no") == set() and ids("no") - ids(None) == scoped_to_no


@pytest.mark.parametrize(("byline", "authors", "agency"), [
    ("Written by John Smith", ["John Smith"], None),
    ("Von Hannah Ritzmann, Redakteurin für Finanzen", ["Hannah Ritzmann"], None),
    ("Kolumne von Lars Brunckhorst", ["Lars Brunckhorst"], None),
    ("Bởi Nguyễn Văn An", ["Nguyễn Văn An"], None),
    ("John Smith | Reuters", ["John Smith"], "Reuters"),
    ("Von A. Müller, B. Schmidt und C. Weber", ["A. Müller", "B. Schmidt", "C. Weber"], None),
    ("By Takeo Maeda and Tatsuya Tanoue / Yomiuri Shimbun Staff Writers", ["Takeo Maeda", "Tatsuya Tanoue"], None),
])
def test_bylines_in_more_forms_become_authors(cleaner: Cleaner, byline: str, authors: list[str],
                                              agency: str | None) -> None:
    article = CASES["en"][0]
    result = cleaner.clean("\n\n".join(["Headline Of The Story Today", byline, *article]), format="text")
    assert result.text == "\n\n".join(article)
    assert result.authors == authors and result.agency == agency


def test_sentences_with_written_by_stay(cleaner: Cleaner) -> None:
    article = CASES["en"][0]
    sentence = "Written by hand, the letter was found in the archive of the town hall last week by a student."
    assert sentence in cleaner.clean("\n\n".join([*article, sentence]), format="text").text


def test_bylines_of_teasers_well_below_the_article_are_not_its_authors(cleaner: Cleaner) -> None:
    """A "more stories" box under the article prints each teaser's byline: the article's own byline (above it)
    names its authors, the teasers' do not."""
    article = CASES["en"][0]
    teasers = ["More stories", "Markets rally as inflation cools", "Prices rose less than expected in May.",
               "Read more", "By Alice Brown",
               "Storm closes the harbour for a second day", "By Carl Green", "Weather", "Sport", "Business"]
    result = cleaner.clean("\n\n".join(["Headline Of The Story Today", "By John Smith", *article, *teasers]),
                           format="text")
    assert result.authors == ["John Smith"]


def test_a_byline_closing_the_article_is_still_its_authors(cleaner: Cleaner) -> None:
    """Negative twin: a byline right under the last paragraph, with none above, names the authors."""
    article = CASES["en"][0]
    result = cleaner.clean("\n\n".join(["Headline Of The Story Today", *article, "By John Smith", "Weather"]),
                           format="text")
    assert result.authors == ["John Smith"]


# -- captions, credits and promos of more outlets ---------------------------------------------------------------

@pytest.mark.parametrize(("language", "chrome"), [
    # a picture's credit alone, or closing its caption
    ("de", "Philipp von Ditfurth/dpa"), ("en", "HANDOUT / AFP"), ("de", "Imago/Blaulicht-News.de"),
    ("de", "picture alliance/dpa"),
    ("de", "Die Ex-Außenministerin tritt am Dienstag offiziell ihren neuen Job an. (Archivbild)"),
    ("de", "Das Schiff wechselte in der Vergangenheit mehrfach Namen. (Quelle: IMAGO/U.S. European Command)"),
    ("de", "Viel Ruhe, Schlaf und Erholung helfen, wieder zu Kräften zu kommen.Unsplash/Kelly Sikkema"),
    ("en", "India launched missiles into Pakistan and Kashmir Wednesday. Photo by Kevin S. Vineys /AP"),
    ("en", "A view of the glass-bubble-covered ice, at left, and the bare ice.Photograph by Doug Johnson"),
    ("en", "Illustration by Arina Kokoreva"),
    ("en", "Trump had pledged a crackdown on migrants entering the country AP Photo/Edgar H. Clemente"),
    # a newsletter box and a bookmark button, glued as scrapers leave them; an ad-block notice
    ("en", "Invalid EmailSomething went wrong, please try again later."),
    ("en", "Thank you for subscribingWe have more newslettersShow me"), ("en", "See ourPrivacy Notice"),
    ("en", "Story Saved"), ("en", "You can find this story in My Bookmarks.Or by navigating to the user icon."),
    ("en", "Ad block users: Some site features may not work correctly while an ad blocker is enabled."),
    ("en", "Search for:"),
    # channel and app promos
    ("de", "Folgst du schon 20 Minuten auf Whatsapp?"),
    ("de", "Eine Newsübersicht am Morgen: Abonniere den Whatsapp-Kanal von 20 Minuten und du bekommst Storys."),
    ("tr", "NTV uygulamasını indirin, gelişmelerden haberdar olun"),
    # a caption's credit broken off its brackets, a credit label glued to the caption, players and share bars
    ("en", "Nick Wilkinson/Birmingham Live)"), ("en", "Northumbria Police / SWNS)"),
    ("en", "Rebecca Cooke supporting Phil Foden at the Qatar World CupCredit: PA"),
    ("en", "The video will auto-play soon8Cancel"), ("de", "Audio starten, abbrechen mit Escape"),
    ("de", "00:21 Min.."), ("de", "Verfügbar bis 22.04.2026."),
    ("de", "LinkedIn Link kopiert Error occurred Facebook Link kopiert Error occurred E-Mail Link kopiert"),
    # a broadcaster's teaser links to other articles
    ("de", "Rund 400 Feuerwehrleute protestieren gegen späteren Ruhestand | mehr"),
    ("de", "Löschen, Retten, Rente: Feuerwehr-Ruhestand mit 60? | audio"),
    # reading times, player and viewer buttons, machine-made audio and summaries, old-browser warnings
    ("de", "Lesedauer: 4 Minuten"), ("de", "3 Min Lesezeit"), ("de", "3 Min"), ("de", "Anhören"),
    ("de", "Detailansicht öffnen"), ("de", "Folgen auf:"), ("de", "Schriftgröße anpassen!"),
    ("de", "Diese Audioversion wurde künstlich generiert. Mehr Informationen zu unserer Vorlesefunktion finden Sie hier."),
    ("de", "Wir freuen uns über Ihr Feedback zu diesem Angebot."),
    ("it", "Stai utilizzando Internet Eplorer: è un browser molto vecchio, non sicuro, e non più supportato."),
    ("it", "Per favore utilizza un browser moderno come Edge, Firefox, Chrome o uno qualunque degli altri."),
    ("en", "You are using an outdated browser. Please upgrade your browser to improve your experience."),
    ("en", "Add TheJapanNews to your Google News feed."),
    ("en", "Our website is the place for the latest breaking news. Please bookmark nationalpost.com and sign up for our "
           "newsletters here."),
    ("en", "Plus, special edition NP Platformed and First Reading newsletters and virtual events."),
    # credits: after a dash, in brackets alone, glued to the caption behind their label
    ("en", "Fahmi Fadzil speaking at Menara KWSP on November 19, 2024. — Picture by Yusof Mat Isa"),
    ("en", "The prime minister arrives at the parliament in Putrajaya. — Bernama pic"),
    ("es", "(Edu Luque)"),
    ("de", "Gilt als einziger Antikriegskandidat: Boris NadeschdinBild: Mikhail Sinitsyn/TASS/dpa/picture alliance"),
    # a chain's paywall box, a link alone, a "most read" box on one line, a note on the writer
    ("en", "Enjoy the latest local, national and international news."),
    ("en", "Register to unlock this article \u2014 it\u2019s free"), ("de", "mehr"),
    ("en", "#1 'Why don't you arrest that man?', Trump asks Ramaphosa #2 Ramaphosa dodged a bullet #3 Budget"),
    ("en", "Rachel Brazil is a freelance journalist in London, UK."),
    ("en", "Scott Gilbertson is a senior writer for WIRED. He was previously a writer and editor for Webmonkey."),
    ("en", "Rachel Riederer is a member of The New Yorker\u2019s editorial staff."),
])
def test_credits_captions_and_promos_of_more_outlets_leave(cleaner: Cleaner, language: str, chrome: str) -> None:
    assert _between_two_paragraphs(cleaner, chrome, language) == "\n\n".join(CASES[language][0]), chrome


@pytest.mark.parametrize(("language", "heading", "headline"), [
    ("de", "Auch interessant", "Außenministerin in der Kritik"),
    ("no", "Les også", "Nordås innrømmer megablemme"),
    ("en", "Recommended from Editorial", "Seven Challenges Ahead for the New Prime Minister"),
    ("en", "RELATED ARTICLESMORE FROM AUTHOR", "Engineer Creates New Religion To Worship an AI God"),
    ("en", "Related Topics:", "booksromanceauthorreader"),
])
def test_a_related_heading_leaves_with_its_headline(cleaner: Cleaner, language: str, heading: str,
                                                     headline: str) -> None:
    article = NORDIC.get(language) or CASES[language][0]
    text = cleaner.clean("\n\n".join([article[0], heading, headline, article[1]]), format="text").text
    assert text == "\n\n".join(article)


@pytest.mark.parametrize(("language", "sentence"), [
    ("de", "Die Inflation lag im Mai bei 2,2 Prozent, wie das Statistische Bundesamt mitteilte (Quelle: Destatis)"),
    ("de", "Die Agentur dpa/AFP meldete am Abend, dass die Verhandlungen in Genf ohne Ergebnis beendet wurden."),
    ("de", "Die Partei will ihren Mitgliedern künftig auch auf Instagram folgen und dort mehr Videos zeigen."),
    ("en", "The museum showed a photo by Ansel Adams that had never been exhibited before, curators said."),
    ("en", "Many readers now use an ad blocker, and publishers say it costs them a third of their income."),
    ("en", "Something went wrong with the vote count in two districts, the electoral commission said on Friday."),
    ("en", "The agency's photographer, who works for AP, said the photo was taken shortly before the attack."),
    ("tr", "Bakanlık, yeni uygulamanın önümüzdeki ay tüm okullarda başlayacağını açıkladı."),
    ("en", "The bank said the rate would be cut (by a quarter point/half a point) in March, officials said."),
    ("en", "He said the bank would give him credit: a loan of 50,000 pounds to rebuild the family shop."),
    ("en", "The council's decision (see the report by Ann Lee/Planning) was published on Friday."),
    ("de", "Die Kosten liegen bei rund 400 Euro im Monat | mehr als im Vorjahr, sagte der Sprecher."),
    ("de", "Die Kommission will das Audio starten, sobald alle Teilnehmer im Saal sind, sagte die Sprecherin."),
    ("de", "Das Angebot ist nach Angaben des Senders verfügbar bis Ende des Jahres, dann wird es eingestellt."),
    ("de", "Die Lesedauer der Schüler stieg nach Angaben der Stiftung im vergangenen Jahr um 3 Minuten am Tag."),
    ("de", "Das Bild: Ein Mann steht vor dem zerstörten Haus und zeigt auf die Trümmer im Garten."),
    ("it", "Il ministro ha detto che stai utilizzando male i fondi, ha replicato il sindaco in consiglio comunale."),
    ("en", "The agency said it would bookmark the funds and sign up for new programs later this year."),
    ("en", "The minister (Anwar Ibrahim) said the plan would be announced next week, officials said."),
    ("en", "Jane Smith is a freelance journalist who was detained in Tehran for three months in 2019."),
    ("en", "Ahmed Khan is a reporter for a local radio station and was at the scene when the fire broke out."),
    ("en", "The band finished #1 in the charts last week and #2 the week before, the label said."),
])
def test_sentences_with_the_credits_and_promos_words_stay(cleaner: Cleaner, language: str, sentence: str) -> None:
    assert sentence in _between_two_paragraphs(cleaner, sentence, language)
