"""The article's block of prose in full-page text (`structure/other-block`): any language, and the article
shapes it must leave alone (negative tests)."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.stages.strip.body import _blocks, _teasers

TITLE = "Storm closes harbour as ferries stay in port for a second day"
ARTICLE = [
    "Ferries between the island and the mainland stayed in port for a second day on Tuesday as the storm "
    "brought winds of more than 100 kilometres an hour to the coast.",
    "The harbour master said no vessel would leave before the wind dropped, and that the decision would be "
    "reviewed every three hours through the night.",
    "Hundreds of travellers spent the night in the terminal, where volunteers handed out blankets and hot "
    "drinks while the operators arranged hotel rooms for families.",
    "Forecasters expect the storm to weaken on Wednesday morning, although heavy rain is likely to continue "
    "across the region until the weekend.",
]
MENU = ["Home", "News", "Sport", "Business", "Culture", "Weather", "Podcasts", "Newsletters", "Subscribe",
        "Log in"]
COOKIES = ("We use cookies and similar technologies to improve your experience, to show you personalised "
           "content and to analyse our traffic; by clicking accept you agree to this.")
TEASERS = [
    "Council approves new cycle lanes",
    "The plan adds twelve kilometres of protected lanes across the city centre by next summer.",
    "School meals to be free for all pupils",
    "Ministers say the scheme will start in September and cost the budget about 80 million a year.",
    "Museum reopens after two-year renovation",
    "Visitors queued from early morning to see the restored gallery and its new glass roof.",
]
JOBS = ["Jobs", "Accountant (m/f/d)", "Smith & Sons Ltd", "Site engineer", "City of Northtown", "Nurse",
        "County Hospital", "All jobs »"]
FOOTER = ("All content on this site is protected by copyright; any reproduction without the written permission "
          "of the publisher is prohibited.")


def _page(*parts: list[str] | str) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend([part] if isinstance(part, str) else part)
    return "\n\n".join(lines)


def _clean(page: str) -> str:
    return Cleaner().clean(page, format="text").text


def test_the_article_is_kept_and_blocks_around_it_go() -> None:
    page = _page(f"{TITLE} - The Daily Example", COOKIES, MENU, MENU, TITLE, ARTICLE, JOBS, "More news", TEASERS,
                 MENU, MENU, MENU, FOOTER)
    text = _clean(page)
    assert all(paragraph in text for paragraph in ARTICLE)
    assert COOKIES not in text and FOOTER not in text
    assert not any(teaser in text for teaser in TEASERS)


def test_an_article_split_by_a_gallery_or_a_share_bar_stays_whole() -> None:
    share = ["Share", "Facebook", "X", "WhatsApp", "Email", "Copy link", "Photo: Example Press"]
    page = _page(MENU, TITLE, ARTICLE[:2], share, ARTICLE[2:], MENU, MENU)
    text = _clean(page)
    assert all(paragraph in text for paragraph in ARTICLE)


def test_a_list_of_results_inside_the_article_parts_nothing() -> None:
    results = [f"{n}. Team {name}" for n, name in enumerate(["Alpha", "Bravo", "Charlie", "Delta", "Echo",
                                                              "Foxtrot", "Golf", "Hotel"], start=1)]
    page = _page(MENU, TITLE, ARTICLE[:2], "The final table:", results, ARTICLE[2:], MENU)
    text = _clean(page)
    assert all(paragraph in text for paragraph in ARTICLE)
    assert all(result in text for result in results)


def test_short_paragraphs_in_a_row_are_no_teasers() -> None:
    """An article of one-sentence paragraphs, below a gap: paragraphs in a row are an article's section."""
    short = ["The ferry company apologised to its passengers on Tuesday evening.",
             "It said tickets would be valid for any crossing this week.",
             "Refunds can be claimed online until the end of the month, it added."]
    page = _page(MENU, TITLE, ARTICLE, ["Advertisement", "Scroll to continue", *JOBS[:5]], short, MENU)
    text = _clean(page)
    assert all(paragraph in text for paragraph in short)
    assert not _teasers(short, [0, 1, 2])


def test_japanese_article_is_found_by_its_characters() -> None:
    article = ["東京都は本日、新しい経済対策を発表しました。関係者によると、予算は来月の議会で審議される見通しです。",
               "対策には中小企業への支援や子育て世帯への給付が含まれ、総額は約三千億円に上るということです。",
               "知事は記者会見で「物価高に苦しむ都民の生活を守るため、迅速に実行したい」と述べました。"]
    menu = ["トップ", "速報", "社会", "政治", "経済", "国際", "スポーツ", "ログイン"]
    notice = "このサイトに掲載している記事や写真などは、著作権法や国際条約などで保護されています。無断で転載することを禁じます。"
    page = _page("東京都が経済対策を発表 : 例示新聞", menu, menu, "東京都が経済対策を発表", article, menu, menu, menu,
                 notice)
    text = _clean(page)
    assert all(paragraph in text for paragraph in article)
    assert notice not in text and "スポーツ" not in text


def test_blocks_part_at_the_gap() -> None:
    prose = [True, False, True, False, False, False, True]
    assert _blocks(prose, 3) == [[0, 2], [6]]
    assert _blocks(prose, 4) == [[0, 2, 6]]


# -- a headline printed in other words than the page's <title> -------------------------------------------------

PAYWALL = ["THIS CONTENT IS RESERVED FOR SUBSCRIBERS", "SUBSCRIBE FOR MORE ARTICLES", "Create an account",
           "Sign in", "or", "View more offers", "Thanks for signing up!", "Advertisement 2", "Story continues below",
           *MENU, *MENU]


@pytest.mark.parametrize("headline", [
    "Storm closes harbour as ferries stay in port again",  # reworded from the <title>
    f"'Worst in years': {TITLE.lower()}",  # the <title> without the headline's kicker
])
def test_a_headline_printed_otherwise_than_the_title_still_heads_the_article(headline: str) -> None:
    """The <title> says "Storm closes harbour ...", the page's headline is a near copy of it ("... stay in port
    again") or the title under a kicker: it heads the article, so the first paragraph, cut from the rest by a
    long paywall promo, is the article's (without the headline it would be a block far from the main one)."""
    page = _page(f"{TITLE} | The Daily Example", MENU, MENU, headline, ARTICLE[0], PAYWALL, ARTICLE[1:], MENU,
                 MENU)
    result = Cleaner().clean(page, format="text")
    assert all(paragraph in result.text for paragraph in ARTICLE), result.text
    assert result.title == headline


def test_a_line_ending_with_a_few_of_the_titles_words_is_no_headline() -> None:
    """Only the whole title closes a headline under a kicker: a line ending with the title's last words is not."""
    last_words = " ".join(TITLE.split()[-3:])
    page = _page(f"{TITLE} | The Daily Example", MENU, ARTICLE[:2], f"Why it matters: {last_words}",
                 ARTICLE[2:], MENU)
    result = Cleaner().clean(page, format="text")
    assert all(paragraph in result.text for paragraph in ARTICLE), result.text


def test_a_near_copy_in_a_related_list_below_the_article_is_not_its_headline() -> None:
    """The reworded headline is printed twice: over the article, and in a related list below it over a teaser.
    The copy over the most prose heads the article, and the byline under it is read."""
    headline = "Storm closes harbour as ferries stay in port again"
    teaser = "Ferries stayed in port again on Tuesday, and the harbour master said more delays were likely."
    page = _page(f"{TITLE} | The Daily Example", MENU, headline, "By Jane Doe", ARTICLE, "Related", headline,
                 teaser, MENU)
    result = Cleaner().clean(page, format="text")
    assert all(paragraph in result.text for paragraph in ARTICLE), result.text
    assert result.authors == ["Jane Doe"]


def test_a_line_sharing_a_few_words_with_the_title_is_no_headline() -> None:
    """"Storm closes roads" shares the title's first words but few of the rest: not a copy, the article's
    first paragraph above it is kept."""
    page = _page(f"{TITLE} | The Daily Example", MENU, ARTICLE[:2], "Storm closes roads in the north",
                 ARTICLE[2:], MENU)
    text = Cleaner().clean(page, format="text").text
    assert all(paragraph in text for paragraph in ARTICLE), text


# -- a list of other articles' headlines heavier than the article ----------------------------------------------

HEADLINES = [
    "Walmart removes self-checkouts and swaps back to traditional lanes but not because they care about service",
    "Oracle of Wall Street says the rise in young men living with their parents will make house prices plunge",
    "Stamp prices to rise by a record amount as the cost of sending a letter increases for the second time",
    "America's best and worst states for job hunters revealed and why you may be better off seeking work elsewhere",
    "How to save a million into your retirement fund as experts explain what each age group should be stashing",
    "Renovating your property? The home improvement projects that will give you the highest return revealed",
    "How families are skirting estate taxes as wealthy Americans double the amount they are gifting each year",
]


def test_a_heavier_list_of_headlines_gives_way_to_the_article() -> None:
    """Long headlines read as prose, and a "more news" box of them can outweigh a short article: most of them
    end without a sentence end, so the article's block is the article."""
    more = [f"{headline} this week" for headline in HEADLINES]  # twenty words and more: prose by length
    page = _page(f"{TITLE} - The Daily Example", MENU, ARTICLE[:3], MENU, more, more[:4], MENU)
    text = _clean(page)
    assert all(paragraph in text for paragraph in ARTICLE[:3]), text
    assert not any(headline in text for headline in more), text


def test_an_article_made_of_a_list_without_full_stops_is_kept() -> None:
    """Negative twin: a page whose article is a list of long items without full stops (a ranking, key points)
    keeps it; a short paragraph elsewhere (a footer's) is no article to give way to."""
    items = [headline.replace("?", ",") + " according to the latest figures" for headline in HEADLINES]
    page = _page(MENU, TITLE, items, MENU, MENU, FOOTER, MENU)
    text = _clean(page)
    assert all(item in text for item in items), text


def test_list_items_without_full_stops_inside_the_article_stay() -> None:
    page = _page(f"{TITLE} - The Daily Example", MENU, TITLE, ARTICLE[:2], HEADLINES[:3], ARTICLE[2:], MENU)
    text = _clean(page)
    assert all(paragraph in text for paragraph in [*ARTICLE, *HEADLINES[:3]]), text


# -- another article's head below the article: a bare date between the blocks ---------------------------------------

OTHER_ARTICLE = [
    "Taiwan to have round-the-clock access to satellites this month, the digital ministry said on Monday.",
    "Once the system is running, officials said, disasters would no longer cut the islands off from the network.",
    "The ministry partnered with a telecom company on a two-year project to strengthen the signal everywhere.",
]


def test_a_block_below_a_bare_date_is_another_article() -> None:
    """Below the article, a list of other articles prints each under its headline and date: the block after a
    bare date ("2024-10-14") is another article's, however long."""
    page = _page(f"{TITLE} | The Daily Example", MENU, TITLE, ARTICLE, "Most read", "1", "Ferries cancelled", "2",
                 "Roads closed", "Taiwan to have 24-hour access to satellites", "2024-10-14", OTHER_ARTICLE)
    text = _clean(page)
    assert all(paragraph in text for paragraph in ARTICLE), text
    assert not any(paragraph in text for paragraph in OTHER_ARTICLE)


def test_a_timeline_of_dates_inside_the_article_stays() -> None:
    """Negative twin: dates between the article's own paragraphs (a chronology) part no blocks; all stays."""
    timeline = ["10.03.2024", ARTICLE[1], "12.03.2024", ARTICLE[2], "15.03.2024", ARTICLE[3]]
    page = _page(f"{TITLE} | The Daily Example", MENU, TITLE, ARTICLE[0], timeline, MENU)
    text = _clean(page)
    assert all(paragraph in text for paragraph in ARTICLE), text
