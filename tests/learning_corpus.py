"""Corpora for the learning tests: invented sites whose articles are distinct prose under the site's own chrome.

Each article's sentences are made from templates and seeded choices, so no two articles share a paragraph
unless a test puts one in; the chrome is invented per site (phrases no bundled rule names), so what is
removed was learned.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

TOWNS = ["Harbourside", "Millbrook", "Eastwick", "Stonefield", "Larkhill", "Redmoor", "Ashby", "Fernvale",
         "Kingsmead", "Oakridge", "Westholm", "Brightwater", "Coldharbour", "Elmstead", "Greywell"]
THINGS = ["bus routes", "school buildings", "bridges", "parks", "clinics", "libraries", "cycle lanes",
          "markets", "water pipes", "street lights", "sports halls", "housing blocks"]
PEOPLE = ["the mayor", "the council leader", "a spokesperson for the region", "the transport minister",
          "the head of the residents' association", "an engineer working on the project"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "The council of {town} approved {n} new {thing} on {day} after a debate that lasted most of the afternoon.",
    "According to {person}, the work on the {thing} in {town} will cost about {n} million and take two years.",
    "Residents of {town} said the plans for the {thing} had been discussed for years without any decision.",
    "{Person} told reporters on {day} that {n} of the {thing} would be finished before the end of the summer.",
    "Critics in {town} argued that the money for the {thing} should have gone to repairs of older buildings.",
    "The last time {town} changed its {thing} was {n} years ago, when a storm damaged much of the old network.",
]


def paragraph(rng: random.Random, sentences: int = 2) -> str:
    parts = []
    for _ in range(sentences):
        person = rng.choice(PEOPLE)
        parts.append(rng.choice(TEMPLATES).format(town=rng.choice(TOWNS), thing=rng.choice(THINGS),
                                                  day=rng.choice(DAYS), n=rng.randint(2, 999), person=person,
                                                  Person=person[0].upper() + person[1:]))
    return " ".join(parts)


def article(rng: random.Random, paragraphs: int = 5) -> list[str]:
    return [paragraph(rng, rng.randint(1, 3)) for _ in range(paragraphs)]


def site_records(host: str, count: int, *, seed: int = 0, header: Sequence[str] = (), middle: Sequence[str] = (),
                 closing: Sequence[str] = (), frame: str | None = None, one_line: bool = False,
                 opening: str | None = None, shared: str | None = None, urls: bool = True) -> list[dict[str, str]]:
    """`count` records of one site: an article each, with `header` lines above the headline, `middle` lines
    after its second paragraph, `frame` ("Label:") with a varying headline after its third, `closing` lines
    after it; `opening` a sentence every article starts with, `shared` a paragraph the first two share.
    `one_line`: the whole record on one line, as scrapers that join paragraphs with spaces save it."""
    rng = random.Random(f"{host}-{seed}")
    records = []
    for number in range(count):
        body = article(rng)
        if opening is not None:
            body[0] = f"{opening} {body[0]}"
        if shared is not None and number < 2:
            body.insert(2, shared)
        lines = [*header, f"{rng.choice(TOWNS)} Plans New {rng.choice(THINGS).title()} For {number + 2030}"]
        lines += body[:2] + list(middle)
        lines += body[2:3]
        if frame is not None:
            lines.append(f"{frame} {rng.choice(TOWNS)} Votes On {rng.choice(THINGS).title()} Again")
        lines += body[3:] + list(closing)
        text = " ".join(lines) if one_line else "\n\n".join(lines)
        record = {"id": f"{host}-{number}", "text": text}
        if urls:
            record["url"] = f"https://www.{host}/news/{number}"
        records.append(record)
    return records
