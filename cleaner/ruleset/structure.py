"""The structure steps' thresholds and switches, in one frozen config (trafilatura's `settings.cfg` habit).

The defaults are what every page gets; a site rule file may set any of them in a `structure:` block
(`structure: {link_lists: false, edge_lines: 4}`) for its own pages. Each field's doc is what the docs and
the JSON Schema say of it. The text predicates (what reads like a sentence, like prose) are not here: they
are the same on every page, so that the output cleaned again reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from cleaner.ruleset.options import Option


def _switch(default: bool, doc: str) -> bool:
    return field(default=default, metadata={"doc": doc})


def _count(default: int, doc: str) -> int:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class StructureConfig:
    """What the structure steps do, and how far they look."""

    header: bool = _switch(True, "drop the lines above the headline that do not read like prose (the page header)")
    outside_body: bool = _switch(True, "drop the lines that do not read like prose before the first paragraph "
                                       "(menus) and after the last one (sidebars, footers)")
    link_lists: bool = _switch(True, "drop runs of headline-shaped lines inside the body (related-link lists)")
    repeated_prose: bool = _switch(True, "drop prose blocks printed a second time (nested scraping)")
    names_above_body: bool = _switch(True, "read a bare line of names right above the first paragraph as the "
                                           "byline")
    breadcrumb_lines: int = _count(2, "how many lines right above the headline a generic section name is read "
                                       "from as the category (further up it is a menu item)")
    edge_lines: int = _count(3, "how many lines around the first and the last paragraph the `lead` and `last` "
                                 "scopes read")
    article_block: bool = _switch(True, "in full-page text, keep the article's block of prose: prose parted from "
                                        "it by a long run of lines that do not read like prose (a menu, a job "
                                        "board, a footer) is another block; blocks above the headline, teaser "
                                        "lists (short paragraphs each under a headline) and blocks far below go")
    block_gap: int = _count(6, "how many non-prose lines in a row part two blocks of prose (see `article_block`)")
    gap_cost: int = _count(30, "characters of prose a block needs, per non-prose line between it and the "
                                "article's block, to count as more of the article (see `article_block`)")
    far_gap: int = _count(20, "below the article, a block after this many non-prose lines in a row is another "
                              "page's, whatever it reads like")
    link_list_run: int = _count(3, "how many non-prose lines in a row inside the body make a link list")
    repeat_words: int = _count(8, "how many words a prose line needs for its second printing to be a repeat")
    listed_values: int = _count(5, "how many lines a value listed one per line after a label runs on for")
    learn_documents: int = _count(5, "`cleaner learn`: how many of a site's documents a line must be seen in to "
                                     "be learned as its chrome (a site with fewer documents learns nothing)")
    learn_percent: int = _count(30, "`cleaner learn`: the share of a site's documents (percent) a line, frame, "
                                    "prefix or suffix must be seen in to be learned")
    learn_prose_percent: int = _count(60, "`cleaner learn`: the share (percent) a line that reads like prose "
                                          "needs, and it must close the body (below its paragraphs) in nine "
                                          "of ten of its documents: a syndicated paragraph or a series' "
                                          "standard opening is the article's")
    learn_candidates: int = _count(200_000, "`cleaner learn`: distinct candidates kept per site while counting; "
                                            "past it those seen once are forgotten (memory stays bounded)")


DEFAULT_STRUCTURE = StructureConfig()

#: Each option as the loader, the schema and the docs read it: a switch, or a count of at least 1.
STRUCTURE_OPTIONS: dict[str, Option] = {
    option.name: Option(option.name, "boolean" if isinstance(option.default, bool) else "integer", option.default,
                        str(option.metadata["doc"]), minimum=1)
    for option in fields(StructureConfig)
}
