"""The headline from a page's declared title: the site's name and section cut off, the printed headline preferred
where the title is the same words in other quotation marks."""

from __future__ import annotations

from html import unescape
from typing import Any

import regex

from cleaner.html.parse import NOT_WORD
from cleaner.text.prose import TITLE_SEPARATORS

#: The marks that part a title (dashes, bars, bullets), and the full-width ones of CJK titles.
_SEPARATORS, _CJK_SEPARATORS = r"-|*\u2013\u2014\u2022\u00b7", r"\uff1a\uff5c\u3163"
#: Where a page title joins the headline to the site's name: the spaced dashes and bars, and the full-width
#: colon, bar and the Hangul letter used as a bar in CJK titles ("見出し：東京新聞", "제목ㅣ한국일보").
_TITLE_PARTS = regex.compile(rf" (?:[{_SEPARATORS}]|::) |\s*[{_CJK_SEPARATORS}]\s*")
#: A title part after the site's name that goes with it: a date or a time ("28.04.2023", "13/06/2023 10:00"),
#: or the author ("Headline | The Gateway Pundit | by Paul Serran").
_TRAILING_PART = regex.compile(r"[\d\s.:/-]+|(?i:by|von|oleh|par|por|door|av)\s+\p{Lu}[\p{L}.' -]{1,60}")


def strip_site_suffix(title: str, sitename: str | None, hostname: str | None, sections: tuple[str, ...] = ()) -> str:
    """`Headline - Kompas.com Regional` -> `Headline`: drop the trailing parts that name the site.

    Parts after the site's name that are only a date or the author (`Headline | DW | 28.04.2023`) go with
    it, and then a last part that is the page's declared section (`Headline-정치ㅣ한국일보`).
    """
    headline = _strip_site_name(title, sitename, hostname)
    for section in sections:
        for sep in ("-", " - ", " | ", " \u2013 ", " \u00b7 "):
            if section and headline.endswith(sep + section) and len(headline) > len(sep + section):
                return headline[: -len(sep + section)].strip()
    return headline


def _strip_site_name(title: str, sitename: str | None, hostname: str | None) -> str:
    marks = {NOT_WORD.sub("", m).casefold() for m in (sitename, (hostname or "").split(".")[0]) if m}
    marks.discard("")

    def names_site(part: str) -> bool:
        folded = NOT_WORD.sub("", part).casefold()
        return bool(folded) and any(mark in folded or folded in mark for mark in marks)

    def is_site(part: str) -> bool:  # a kicker may name the site ("Kate Moss auf dem VOGUE-Cover: ..."): not it
        folded = NOT_WORD.sub("", part).casefold()
        return bool(folded) and any(folded in mark or (folded.startswith(mark) and len(folded) <= len(mark) + 4)
                                    for mark in marks)

    if ": " in title:  # "KapanLagi.com: Headline"
        head, rest = title.split(": ", 1)
        if rest.strip() and is_site(head):
            title = rest
    for sep in TITLE_SEPARATORS:  # "Headline - National | Globalnews.ca": a tail that names the site
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            if head.strip() and names_site(tail):
                return head.strip()
    # CJK separators, and the site with a date after it ("Headline | DW | 28.04.2023")
    cuts = [m.start() for m in _TITLE_PARTS.finditer(title)]
    ends = [*cuts[1:], len(title)] if cuts else []
    for start, end in zip(reversed(cuts), reversed(ends), strict=True):
        part = _TITLE_PARTS.sub("", title[start:end], count=1)
        if names_site(part):
            head = title[:start].strip()
            return head or title.strip()
        if not _TRAILING_PART.fullmatch(part):
            break
    return title.strip()


#: Quotation marks folded to their ASCII forms when a declared title is compared with the printed headline.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
#: What may follow the headline in a declared title: a separator before the site's or section's name.
_TITLE_TAIL = regex.compile(rf"\s*[{_SEPARATORS}{_CJK_SEPARATORS}]")
#: The printed headline replaces a longer declared title only when it is most of it.
HEADLINE_SHARE = 0.6


def headlines(tree: Any, objects: list[dict[str, Any]]) -> list[str]:
    """The headlines the page prints or declares beside its title: `h1`, `meta name=headline`, JSON-LD."""
    found = [" ".join(h1.text_content().split()) for h1 in tree.iter("h1")]
    found += [" ".join(str(v).split()) for v in tree.xpath("//meta[@name='headline']/@content")]
    found += [" ".join(unescape(o["headline"]).split()) for o in objects if isinstance(o.get("headline"), str)]
    return [h for h in found if h]


def printed_headline(title: str, headlines: list[str]) -> str:
    """The declared title as the page prints it: a headline that is the title in other quotation marks
    (the social card's straight `'` for the printed `’`), or the title without a tail after a separator
    (`Headline-정치ㅣ한국일보` where the page also declares `Headline`)."""
    plain = " ".join(title.split())
    folded = plain.translate(_QUOTES)
    for headline in headlines:
        if headline != plain and headline.translate(_QUOTES) == folded:
            return headline
    for headline in headlines:
        rest = plain[len(headline):]
        if (rest and plain.startswith(headline) and len(headline) >= HEADLINE_SHARE * len(plain)
                and _TITLE_TAIL.match(rest)):
            return headline
    return title
