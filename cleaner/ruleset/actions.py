"""What each rule action accepts: the one table the loader, the docs and the JSON Schema are made from.

A rule that sets an option its action never reads, or a scope its action never looks at, would load and
silently do nothing; the loader checks every rule against its action's spec and says what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.ruleset.model import Action, Scope
from cleaner.ruleset.options import Option
from cleaner.ruleset.structure import STRUCTURE_OPTIONS

#: Every rule key besides `id`, `action`, `pattern`, `text` and `scope`, in the order the docs list them.
OPTIONS: dict[str, Option] = {option.name: option for option in (
    Option("ignore_case", "boolean", False, "match `pattern` and `text` regardless of case"),
    Option("keep", "boolean", False, "record the line's metadata but leave the line in the body"),
    Option("with_previous", "integer", 0,
           "also drop up to N lines above that are set in title case like headlines or do not read like sentences"),
    Option("with_next", "integer", 0, "the same for up to N lines below"),
    Option("end", "pattern", None,
           "the pattern of a block's last line (`drop_block`), or of the value line below a label (`capture`)"),
    Option("max_lines", "integer", 40, "how many lines below the first a `drop_block` looks for its `end`"),
    Option("headlines", "boolean", False,
           "the text between two matches is a run of glued headlines (a related-links box): split it into them"),
    Option("note", "string", None, "free text for the reader of the rule file (why the rule exists)"),
)}

#: What each scope covers, for the docs and the schema.
SCOPES: dict[Scope, str] = {
    Scope.ANY: "every body line",
    Scope.HEAD: "the lines above the headline (the page header), read before the header is dropped",
    Scope.LEAD: "the first few lines of the body (where datelines are)",
    Scope.LAST: "the last few lines of the body (sign-offs, trailing credits)",
}

_WHOLE_LINE_SCOPES = (Scope.ANY, Scope.HEAD, Scope.LEAD, Scope.LAST)


@dataclass(frozen=True)
class ActionSpec:
    """What one action accepts.

    `pattern` is "required" (`pattern`, or `text` where `text` is true), or "none" (the action matches no
    pattern); `scopes` lists the scopes it honours (`scope:`), the first being its default; `options` are
    the other keys it reads; `captures` says whether its pattern's named groups are read as metadata;
    `exclusive` lists options that cannot go together, `single_scope` those that make the rule read every
    line whatever its scope.
    """

    action: Action
    summary: str
    pattern: str
    text: bool
    scopes: tuple[Scope, ...]
    options: tuple[str, ...]
    captures: bool = False
    requires: tuple[str, ...] = ()
    exclusive: tuple[tuple[str, str], ...] = ()
    single_scope: tuple[str, ...] = ()


ACTION_SPECS: dict[Action, ActionSpec] = {spec.action: spec for spec in (
    ActionSpec(
        Action.DROP_LINE,
        "drops a line the pattern matches entirely; `with_previous` / `with_next` also drop headline-shaped "
        "neighbours (a \"Baca Juga\" heading and the headlines under it)",
        "required", True, _WHOLE_LINE_SCOPES, ("ignore_case", "with_previous", "with_next", "note")),
    ActionSpec(
        Action.DROP_PARAGRAPH,
        "drops the whole paragraph (lines up to a blank line) holding a line the pattern matches entirely",
        "required", True, _WHOLE_LINE_SCOPES, ("ignore_case", "note")),
    ActionSpec(
        Action.DROP_SPAN,
        "cuts every match out of a line (an ad glued inside a paragraph); named groups are captured",
        "required", True, _WHOLE_LINE_SCOPES, ("ignore_case", "note"), captures=True),
    ActionSpec(
        Action.CUT_PREFIX, "cuts a match at the start of one of the first body lines (a dateline)",
        "required", False, (Scope.LEAD,), ("ignore_case", "note"), captures=True),
    ActionSpec(
        Action.CUT_SUFFIX, "cuts a match at the end of the last paragraph (trailing credits)",
        "required", False, (Scope.LAST,), ("ignore_case", "note"), captures=True),
    ActionSpec(
        Action.CAPTURE,
        "a whole-line match whose named groups become metadata; the line leaves the body (`keep: true` keeps "
        "it). With `end` it reads a label line and the value on the next line (\"Penulis\" / \": Name\"): both leave",
        "required", False, _WHOLE_LINE_SCOPES,
        ("ignore_case", "keep", "with_previous", "with_next", "end", "note"), captures=True,
        exclusive=(("end", "keep"), ("end", "with_previous"), ("end", "with_next"),
                   ("keep", "with_previous"), ("keep", "with_next")), single_scope=("end",)),
    ActionSpec(
        Action.DROP_BLOCK,
        "drops from a line matching `pattern` to the next line matching `end` (within `max_lines`)",
        "required", True, (Scope.ANY,), ("ignore_case", "end", "max_lines", "with_previous", "with_next", "note"),
        requires=("end",)),
    ActionSpec(
        Action.DROP_AFTER,
        "a footer marker: drops it and everything after it (only below the first sentence of the body)",
        "required", True, (Scope.ANY,), ("ignore_case", "note")),
    ActionSpec(
        Action.END_BODY,
        "a sign-off that closes the article (`(aik/maa)`, `(H-4)`, a closing promo): every later line leaves, "
        "sentences too (only below the first sentence under the headline, not where two long paragraphs follow it: "
        "a caption's credit; bylines after it are still read)",
        "required", True, (Scope.ANY,), ("ignore_case", "note")),
    ActionSpec(
        Action.DROP_BEFORE,
        "drops everything between the headline and the marker line (a site's summary); the marker stays",
        "required", True, (Scope.ANY,), ("ignore_case", "note")),
    ActionSpec(
        Action.DROP_REPEATED,
        "drops a line printed twice in a row (both copies unless it reads like a sentence), and in page text "
        "two or more prose lines in a row (eight words or more each) that repeat text already kept",
        "none", False, (Scope.ANY,), ("note",)),
    ActionSpec(
        Action.SPLIT,
        "a unit boundary for the segment stage: lines are cut before and after every match (`(?=...)` or `\\K` "
        "put one boundary only)",
        "required", False, (Scope.ANY,), ("ignore_case", "headlines", "note")),
)}


def allowed_keys(spec: ActionSpec) -> tuple[str, ...]:
    """Every key a rule of this action may have, in the docs' order."""
    keys = ["id", "action"]
    if spec.pattern != "none":
        keys.append("pattern")
    if spec.text:
        keys.append("text")
    return (*keys, "scope", "languages", *spec.options)


#: Every key some action accepts.
RULE_KEYS = frozenset(key for spec in ACTION_SPECS.values() for key in allowed_keys(spec))


#: The keys of a rule file, and what each holds.
FILE_KEYS: dict[str, str] = {
    "id": "the rule set's id: lower-case letters, digits, '-', '_' or '.'; rule ids are `<id>/<rule id>`",
    "name": "the outlet's name as it should appear in `outlet`",
    "description": "free text: what the file covers",
    "language": "the outlet's language (an ISO 639-1 code such as 'id'), used instead of detecting it",
    "domains": "site rules: the host names whose pages the file applies to (subdomains included)",
    "family": "site rules: true when the domains (and their subdomains) are a network of outlets sharing a "
              "layout: a page's `outlet` is its own (its dateline's, else its host), `name` only the first "
              "domain's",
    "signatures": "site rules: patterns that pick the file for a page given without a URL (its text matches one)",
    "title": "site rules: how the headline is found (one of first_line, before, after, pattern)",
    "vars": "named regex pieces, used in any pattern of any file as {{name}}",
    "lexicon": "a language's phrases for each chrome concept ({concept: [phrase, ...]}, with the file's "
               "'language'): every file's phrases of a concept are {{lexicon_<concept>}} in any pattern, one "
               "language's {{lexicon_<concept>_<language>}}",
    "rules": "the rules, applied in order",
    "html": "site rules: XPaths for HTML pages (prune, body, meta)",
    "structure": "site rules: the structure steps' thresholds and switches for this site's pages",
    "learned_from": "learned rules (written by `cleaner learn`): the group of documents they were learned from "
                    "and apply to: a registered domain ('example.com'), 'site:<id>' (pages of a bundled site "
                    "without URL) or 'input:<path>' (an input file or folder)",
}
#: The keys of a site's `title:`; exactly one is given.
TITLE_KEYS: dict[str, str] = {
    "first_line": "true: the first line of the page is the headline",
    "before": "the headline is the line right above the first line this pattern matches",
    "after": "the headline is the line right below the first line this pattern matches",
    "pattern": "the headline is the first line this pattern matches",
}
#: The keys of a site's `html:`.
HTML_KEYS: dict[str, str] = {
    "prune": "XPaths of elements removed before extraction (trafilatura's prune_xpath)",
    "body": "the XPath of the element that holds the article",
    "meta": "field -> XPath (or list of them) read from the page",
}
#: Fields an `html: meta:` XPath may fill.
HTML_META_FIELDS = ("title", "authors", "editors", "published", "category", "tags", "outlet")


def reference_markdown() -> str:
    """The actions, scopes and options as Markdown tables: docs/rules.md holds this text (a test checks it)."""
    rows = ["| action | what it does | matches | scopes (default first) | options |", "|---|---|---|---|---|"]
    for spec in ACTION_SPECS.values():
        matches = "nothing (no pattern)" if spec.pattern == "none" else (
            "`pattern` or `text`" if spec.text else "`pattern`")
        if spec.captures:
            matches += "; named groups captured"
        options = ", ".join(f"`{o}`" for o in spec.options if o != "note") or "-"
        apart: dict[str, list[str]] = {}
        for first, second in spec.exclusive:
            apart.setdefault(first, []).append(f"`{second}`")
        rules = [*(f"`{key}` goes without {', '.join(others)}" for key, others in apart.items()),
                 *(f"with `{k}`, scope `any` only" for k in spec.single_scope),
                 *(f"`{k}` required" for k in spec.requires)]
        if rules:
            options += " (" + "; ".join(rules) + ")"
        scopes = ", ".join(f"`{s.value}`" for s in spec.scopes)
        rows.append(f"| `{spec.action.value}` | {spec.summary} | {matches} | {scopes} | {options} |")
    rows += ["", "| scope | lines it reads |", "|---|---|"]
    rows += [f"| `{scope.value}` | {doc} |" for scope, doc in SCOPES.items()]
    rows += ["", "| key | type | default | what it does |", "|---|---|---|---|",
             "| `id` | string | its position | the rule's id within the file; rules are reported as `<file id>/<id>` |",
             "| `action` | string | (required) | one of the actions above |",
             "| `pattern` | regex or list | - | `{{var}}` expanded; matched as each action says |",
             "| `text` | string or list | - | literal lines, matched whole (after trimming) |",
             "| `scope` | string | per action | one of the action's scopes |",
             "| `languages` | list | every language | the rule acts only on pages detected in one of these languages "
             "(ISO 639-1 codes): for a phrase that is chrome in one language and a word of running text in "
             "another; a page whose language is not known gets no such rule |"]
    rows += [option.markdown_row() for option in OPTIONS.values()]
    rows += ["", "A site file's `structure:` block (`structure: {link_lists: false, edge_lines: 4}`) sets the "
             "structure steps' thresholds and switches for its pages:", "",
             "| structure option | type | default | what it does |", "|---|---|---|---|"]
    rows += [option.markdown_row() for option in STRUCTURE_OPTIONS.values()]
    return "\n".join(rows) + "\n"
