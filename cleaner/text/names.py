"""Person names as bylines print them: split from a byline's value (roles, initials, handles and glued notices
left out), a line that is only names, and places and names in capitals set in title case."""

from __future__ import annotations

import regex

#: Between names: dashes, commas and the like, and "and" in the languages of our pages (Indonesian, English,
#: German, Dutch, the Scandinavian ones, French, Spanish, Italian and Portuguese).
_NAME_SPLIT = regex.compile(r"\s+[-\u2013\u2014]\s+|\s*[,;|&/]\s*|\s+(?:dan|and|und|en|og|och|et|y|e)\s+")
_INITIALS = regex.compile(r"[a-z]{1,4}|[A-Z]{1,3}")
_HAS_LETTER = regex.compile(r"\p{L}")
#: A role printed with the name ("Kontributor Lhokseumawe, Masriadi", "Tim Redaksi"): not a person.
_ROLE = regex.compile(
    r"(?i:kontributor|koresponden|wartawan|jurnalis|reporter|penulis|editor|redaktur|team|staff|staf|"
    r"redaksi|laporan|pewarta|fotografer|contributor|correspondent|journalist|journalistin|redakteur|"
    r"redakteurin|korrespondent|korrespondentin|autor|autorin|author|admin|administrator|webmaster)\b.*"
    # a job title after the outlet or desk: "AP National Political Writer", "Senior Correspondent"
    r"|.*\b(?i:writer|correspondent|reporter|editor|columnist|contributor)"
    # Indonesian "Tim" (team) before a desk or the outlet ("Tim Redaksi", "Tim detikNews", "Tim CNN"), but
    # not the English first name ("Tim Hanlon")
    r"|(?i:tim)(?:\s+(?:(?i:redaksi|liputan|kreatif|riset|humas|media|cek)\b|\p{Ll}|\S*\d|\p{Lu}{2,}|\p{Ll}+\p{Lu}).*)?"
)
#: A role written after the name ("신현주 기자", "松岡大地記者"), and "for" the outlet ("Ann Lee for Dailymail.com").
_ROLE_AFTER = regex.compile(
    r"\s*(?:\uae30\uc790|\ud2b9\ud30c\uc6d0|\u8a18\u8005|\u7279\u6d3e\u54e1)$"  # reporter, correspondent (ko, ja/zh)
    r"|\s+(?i:for)\s+\S+\.\p{L}{2,}$"
)
#: The byline's own word left on a declared name ("By TOM KRISHER" in a page's JSON-LD).
_BY = regex.compile(r"^(?i:by|oleh|von|av|par|por|door)\s*:?\s+(?=\p{Lu})")
TRIM = " \t.,;:-\u2013\u2014()[]"


#: A rights notice glued after a name where a scraper joined the lines: "Ade MarboenCOPYRIGHT © ANTARA 2015".
_GLUED_RIGHTS = regex.compile(r"(?:(?i:copyright)\s*)?(?:\u00a9|\((?i:c)\)).*$")
#: What no person's name holds: a digit, an "@", a word with a dot inside ("tilleckert.90", "name.surname").
_HANDLE = regex.compile(r"\d|@|\p{L}\.\p{L}{2,}")


def split_names(value: str, initials: bool = False) -> list[str]:
    """Person names from a byline value: `A - B`, `A, B dan C`; noise dropped, and initials (a printed
    credit such as `aik/maa`) unless `initials` (a declared author such as an agency, "AP", is a name)."""
    names = []
    for part in _NAME_SPLIT.split(value):
        name = _ROLE_AFTER.sub("", _BY.sub("", " ".join(_GLUED_RIGHTS.sub("", part).strip(TRIM).split())))
        if not name or not _HAS_LETTER.search(name) or len(name.split()) > 6 or _HANDLE.search(name):
            continue  # no name, a sentence, or a handle or address ("tilleckert.90", "@name", "a@b.c")
        if _INITIALS.fullmatch(name) and not initials:
            continue
        if _ROLE.fullmatch(name):
            continue
        if name.isupper() and len(name) > 3:  # a sign-off in capitals: "DINI TEJA" is Dini Teja
            name = title_case(name)
        names.append(name)
    return names


#: Lower-case words inside a person's name ("Ingrid van der Berg", "Ahmad bin Yusuf").
_NAME_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "do", "dos", "das", "du", "la", "le", "ter", "ten",
    "bin", "binti", "al", "el", "y",
})
_NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}\x27\u2019.-]*")
#: The longest line read as a bare list of names, and the most names and words per name it holds.
NAMES_LINE_CHARS = 80
NAMES_PER_LINE = 4


def reads_like_names(text: str) -> bool:
    """A line of person names alone ("Mohloai Mpesi", "Mathatisi Sebusi/Mohalenyane Phakela"): one to four
    names of two to four capitalised words (name particles aside), no digits, no sentence punctuation."""
    if len(text) > NAMES_LINE_CHARS or any(c.isdigit() or c in ":!?\"()" for c in text):
        return False
    parts = _NAME_SPLIT.split(text.strip())
    if not 1 <= len(parts) <= NAMES_PER_LINE:
        return False
    for part in parts:
        words = part.split()
        if not 2 <= len(words) <= 4 or words[-1].endswith("."):
            return False
        if not all(_NAME_WORD.fullmatch(w) or w in _NAME_PARTICLES for w in words) or words[0] in _NAME_PARTICLES:
            return False
        if _ROLE.fullmatch(part):  # "Staff Reports"
            return False
    return True


def title_case(place: str) -> str:
    """`BANDA ACEH` -> `Banda Aceh`; a place already in mixed case is kept as written."""
    place = " ".join(place.strip(TRIM).split())
    if place.isupper() or place.islower():
        return " ".join(w[:1].upper() + w[1:].lower() for w in place.split())
    return place
