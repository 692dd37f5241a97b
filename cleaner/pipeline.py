"""`Pipeline`: rules loaded and compiled once, then one call per document through the named stages.

The pipeline is the sequence of named pure stages in `Pipeline.stages`; each takes and returns a
`Document`. It holds only compiled rules and settings, so it pickles and can be sent to worker processes.
`cleaner.api.Cleaner` is this pipeline with what needs the run machinery (a stream of pages on worker
processes, learning from a corpus); this module imports nothing of the run.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import regex

from cleaner import arguments
from cleaner.dates import parse_published
from cleaner.document import Document
from cleaner.errors import CleanerError, DocumentError, DocumentTimeoutError, RuleTimeout, RuleTimeoutError
from cleaner.fields import LIST_FIELDS, METADATA_FIELDS
from cleaner.html.extract import extract_html
from cleaner.html.parse import looks_like_html
from cleaner.language import detect_language
from cleaner.learning.groups import find_group
from cleaner.learning.rulefile import LearnedRules
from cleaner.limits import time_limit
from cleaner.result import NO_BODY, CleanResult, short_body_warning
from cleaner.ruleset.loader import load_rules
from cleaner.ruleset.model import HtmlSpec, RuleSet
from cleaner.ruleset.patterns import DEFAULT_PATTERN_TIMEOUT
from cleaner.stages.decode import bom_encoding, decode, without_surrogates
from cleaner.stages.detect import SiteSignatures, detect_page_language, detect_site, site_for_url
from cleaner.stages.learned import strip_learned
from cleaner.stages.metadata import extract_metadata
from cleaner.stages.normalise import normalise
from cleaner.stages.repair import repair
from cleaner.stages.segment import segment
from cleaner.stages.strip import StripPlan, strip_chrome
from cleaner.stages.tidy import tidy
from cleaner.text.prose import fold_words, reads_like_prose
from cleaner.urls import registered_domain, url_problem

Stage = Callable[[Document], Document]

#: Characters below which a body gets a warning by default: a body this short is almost always a page
#: the cleaner found no article on (a gallery, a video page, an index), not a short news item.
DEFAULT_MIN_CHARS = 100


_P = TypeVar("_P", bound="Pipeline")


class Pipeline:
    """Cleans one scraped news page at a time into an article body with metadata.

    `rules_dirs` adds folders of YAML rule files; a site rule there with the id
    of a bundled one replaces it. Invalid rule files raise `RuleFileError`
    (naming file, line and rule) here, before any document is read. A body
    shorter than `min_chars` characters gets a warning (see `body_warning`).
    """

    def __init__(
        self,
        rules_dirs: Iterable[str | Path] = (),
        *,
        bundled_rules: bool = True,
        pattern_timeout: float = DEFAULT_PATTERN_TIMEOUT,
        min_chars: int = DEFAULT_MIN_CHARS,
        learned: LearnedRules | str | os.PathLike[str] | None = None,
    ) -> None:
        pattern_timeout = arguments.seconds(pattern_timeout, "pattern_timeout") or DEFAULT_PATTERN_TIMEOUT
        self.min_chars = min_chars
        self.pattern_timeout = pattern_timeout
        self.rulesets: list[RuleSet] = load_rules(rules_dirs, bundled=bundled_rules, timeout=pattern_timeout)
        if learned is not None:
            given = learned if isinstance(learned, LearnedRules) else LearnedRules.read(learned)
            self.rulesets += given.rulesets(pattern_timeout)
        #: Learned rules by the group they apply to (`cleaner.learning.groups`); the last file of a group wins.
        self.learned: dict[str, RuleSet] = {r.learned_from: r for r in self.rulesets
                                            if r.kind == "learned" and r.learned_from}
        self.sites: list[RuleSet] = [r for r in self.rulesets if r.kind == "site"]
        self.generic: list[RuleSet] = [r for r in self.rulesets if r.kind == "generic"]
        self._sites_by_id = {s.id: s for s in self.sites}
        self._signatures = SiteSignatures.build(self.sites)
        self._plans: dict[tuple[str | None, str | None], StripPlan] = {}
        self._scoped_rules = any(rule.languages for ruleset in self.rulesets for rule in ruleset.rules)

    def plan(self, site_id: str | None, language: str | None = None) -> StripPlan:
        """The merged rules for one site's pages in one language (built on first use, then reused); the
        language matters only where a rule is scoped to languages."""
        key = (site_id, language if self._scoped_rules else None)
        if key not in self._plans:
            site = self._sites_by_id.get(site_id or "")
            self._plans[key] = StripPlan.build(site, self.generic, language)
        return self._plans[key]

    def with_learned(self: _P, learned: LearnedRules) -> _P:
        """This cleaner with `learned` rules added (a group's new file replaces its earlier one)."""
        other = copy.copy(self)
        other.rulesets = [*self.rulesets, *learned.rulesets(self.pattern_timeout)]
        other.learned = {**self.learned, **{r.learned_from: r for r in other.rulesets[len(self.rulesets):]
                                            if r.learned_from}}
        other._plans = {}
        return other

    def stripped(self, page: str | bytes, url: str | None = None, *, title: str | None = None, id: str | None = None,
                 timeout: float | None = None, format: str = "auto", source: str | None = None) -> Document:
        """The document after the bundled rules (the stages up to `strip_chrome`): what learning reads."""
        doc = self.document(page, url, title=title, id=id, format=format, source=source)
        return self._run_within(doc, timeout, until="strip_chrome")

    def _run_within(self, doc: Document, timeout: float | None, timings: dict[str, float] | None = None,
                    until: str | None = None) -> Document:
        """`run` under the document's time limit; a rule's pattern timeout becomes `RuleTimeoutError`."""
        try:
            with time_limit(timeout):
                return self.run(doc, timings, until=until)
        except RuleTimeout as exc:
            raise RuleTimeoutError(str(exc)) from exc

    def _html_spec(self, url: str | None) -> HtmlSpec | None:
        site = site_for_url(url, self.sites)
        return site.html if site else None

    @property
    def stages(self) -> list[tuple[str, Stage]]:
        """The pipeline, in order, as (name, stage) pairs."""
        return [
            ("extract_html", lambda d: extract_html(d, self._html_spec)),
            ("decode", decode),
            ("repair", repair),
            ("normalise", normalise),
            ("detect_site", lambda d: detect_site(d, self.sites, self._signatures)),
            ("detect_language", self._detect_language),
            ("segment", lambda d: segment(d, self.plan(d.site, d.language).splits)),
            ("strip_chrome", lambda d: strip_chrome(d, self._sites_by_id.get(d.site or ""),
                                                    self.plan(d.site, d.language))),
            ("strip_learned", lambda d: strip_learned(d, find_group(self.learned, d.url, d.site, d.source))),
            ("page_pass", self.page_pass),
            ("extract_metadata", lambda d: extract_metadata(d, self._sites_by_id.get(d.site or ""))),
            ("tidy", lambda d: tidy(d, self.plan(d.site, d.language).splits)),
        ]

    @property
    def page_stages(self) -> list[tuple[str, Stage]]:
        """The page pass's pipeline: the text stages up to strip_chrome, which reads for metadata only."""
        return [
            ("decode", decode),
            ("repair", repair),
            ("normalise", normalise),
            ("strip_chrome", lambda d: strip_chrome(d, self._sites_by_id.get(d.site or ""),
                                                    self.plan(d.site, d.language),
                                                    metadata_only=True)),  # the site and language are the body's
        ]

    def _detect_language(self, doc: Document) -> Document:
        site = self._sites_by_id.get(doc.site or "")
        return detect_page_language(doc, site.language if site else None)

    def page_pass(self, doc: Document) -> Document:
        """An HTML page's bylines and dates from the page around its article (see `around_body`).

        trafilatura's main text gives the body; the page rendered as text holds what it leaves out, the
        byline and date lines. Its captures follow the body's, so for single-valued fields the body's win;
        those below the article's last paragraph are marked (teasers' bylines). A text page passes as it is.
        """
        facts = doc.html
        if facts is None or not facts.page_text:
            return doc
        around, below = around_body(facts.page_text, facts.visible_text or doc.text)
        page_doc = dataclasses.replace(doc, text=around, lines=(), format="text", html=None, captures=(),
                                       removed=(), title=None)
        for _name, stage in self.page_stages:
            page_doc = stage(page_doc)
        page_captures = tuple(c._replace(below_body=True) if below is not None and c.line >= below else c
                              for c in page_doc.captures)
        return dataclasses.replace(doc, captures=doc.captures + page_captures,
                                   title=_better_title(doc.title, page_doc.title))

    def run(self, doc: Document, timings: dict[str, float] | None = None,
            observe: Callable[[str, Document], None] | None = None, until: str | None = None) -> Document:
        """Run the declared stages on a document (`stages`; an HTML page's `page_pass` runs `page_stages`).

        `timings`, when given, gathers the seconds spent in each stage; `observe(name, doc)` sees the
        document after each stage (`cleaner explain` shows the page so).
        """
        clock = time.perf_counter
        for name, stage in self.stages:
            started = clock()
            doc = stage(doc)
            if timings is not None:
                timings[name] = timings.get(name, 0.0) + clock() - started
            if observe is not None:
                observe(name, doc)
            if name == until:  # the stages up to this one (learning reads the page after `strip_chrome`)
                break
        return doc

    def clean(
        self,
        page: str | bytes,
        url: str | None = None,
        *,
        title: str | None = None,
        id: str | None = None,
        timeout: float | None = None,
        format: str = "auto",
        source: str | None = None,
    ) -> CleanResult:
        """Clean one page (text or HTML, str or bytes in any encoding); raises `CleanerError` if it cannot.

        `title`, when the scraper knows it, is taken as the headline and its line leaves the body.
        `timeout` (seconds of wall time, main thread on Unix) raises `DocumentTimeoutError` past it.
        `format` is "text", "html" or "auto" (an HTML document is recognised by its first tag).
        `source` names the input the page came from: the group whose learned rules apply to a page without URL
        or known site (see `learn`).
        """
        timeout = arguments.seconds(timeout, "timeout")
        doc = self.document(page, url, title=title, id=id, format=format, source=source)
        timings: dict[str, float] = {}
        doc = self._run_within(doc, timeout, timings)
        id, url = (None if value is None else without_surrogates(value) for value in (id, url))
        result = self.result(doc, id, url, timings)
        warning = self.body_warning(result)
        if warning is not None:
            result = dataclasses.replace(result, warnings=[*result.warnings, warning])
        return result

    def document(self, page: str | bytes, url: str | None = None, *, title: str | None = None,
                 id: str | None = None, format: str = "auto", source: str | None = None) -> Document:
        """The document the stages start from (`clean` runs them on it); raises `DocumentError` for a page
        that cannot be cleaned at all."""
        for value, name in ((url, "url"), (title, "title"), (id, "id")):
            arguments.optional_text(value, name)
        if not isinstance(page, str | bytes):
            raise DocumentError(f"a page must be str or bytes, not {type(page).__name__}")
        arguments.page_format(format)  # a usage error (ValueError), not the page's
        nothing = _nothing_to_clean(page)
        if nothing:
            raise DocumentError(nothing)
        if format == "auto":
            format = "html" if looks_like_html(page) else "text"
        title, url, id = (None if value is None else without_surrogates(value) for value in (title, url, id))
        bad_url = url_problem(url)
        usable_url = None if bad_url else url
        if isinstance(page, bytes):
            doc = Document(id=id or "", text="", raw=page, url=usable_url, given_title=title, format=format,
                           source=source)
        else:
            doc = Document(id=id or "", text=page, url=usable_url, given_title=title, format=format, source=source)
        if bad_url:
            doc = dataclasses.replace(doc, warnings=(bad_url,))
        return doc

    @staticmethod
    def result(doc: Document, id: str | None, url: str | None, timings: dict[str, float] | None = None) -> CleanResult:
        """The result of a document the stages have run on."""
        meta: dict[str, Any] = {name: doc.metadata.get(name, [] if name in LIST_FIELDS else None)
                                for name in METADATA_FIELDS}
        return CleanResult(
            id=id, url=url or doc.url, site=doc.site, **meta, text=doc.body_text(),
            warnings=list(doc.warnings), removed=list(doc.removed), timings=timings or {},
        )

    def body_warning(self, result: CleanResult) -> str | None:
        """`no article body found`, or `body shorter than N characters` (N = `min_chars`); None when fine."""
        if result.error is not None:
            return None
        if not result.text:
            return NO_BODY
        if len(result.text) < self.min_chars:
            return short_body_warning(self.min_chars)
        return None

    def warm_up(self) -> None:
        """Load now what the first pages would otherwise load: dateparser, the public suffix list, the language model.

        Not needed for correctness: these loads pause a page's time limit wherever they happen. Call it to
        keep the one-time cost out of a measurement, or before forking workers that should share it.
        """
        parse_published("Senin, 1 Januari 2024 10:00 WIB")
        registered_domain("https://www.example.co.id/")
        detect_language("Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini.")

    def clean_or_error(
        self,
        page: str | bytes,
        url: str | None = None,
        *,
        title: str | None = None,
        id: str | None = None,
        timeout: float | None = None,
        format: str = "auto",
        source: str | None = None,
    ) -> CleanResult:
        """Like `clean`, but a document that fails gives a result with `error` set instead of raising.

        A bug in the cleaner itself also becomes an error record (naming the exception), so one
        page can never stop a run.
        """
        arguments.seconds(timeout, "timeout")  # a usage error is raised, not a page's error result
        arguments.page_format(format)
        for value, name in ((url, "url"), (title, "title"), (id, "id")):
            arguments.optional_text(value, name)
        try:
            return self.clean(page, url, title=title, id=id, timeout=timeout, format=format, source=source)
        except CleanerError as exc:
            return CleanResult(id=id, url=url, error=str(exc), error_kind=_ERROR_KINDS.get(type(exc), "document"))
        except (RecursionError, MemoryError) as exc:
            return CleanResult(id=id, url=url, error=f"the page is too large or too deeply nested to clean ({exc!r})",
                               error_kind="too-large")
        except Exception as exc:  # one record per input, whatever went wrong
            return CleanResult(id=id, url=url, error=f"internal error, please report: {type(exc).__name__}: {exc}",
                               error_kind="internal")


#: A character a reader can see: not a space, a control or a format character (zero-width ones, BOMs, bidi).
_VISIBLE = regex.compile(r"[^\s\p{Z}\p{Cc}\p{Cf}]")
_VISIBLE_ASCII = regex.compile(rb"[!-~]")


def _nothing_to_clean(page: str | bytes) -> str | None:
    """Why an empty page, or one of only spaces and invisible characters, is no document (the CLI says the same).

    The first visible character ends the search: a page is read whole only when it holds none.
    """
    if not page:
        return "the page is empty (0 bytes); nothing to clean"
    if isinstance(page, bytes):
        if _VISIBLE_ASCII.search(page[:65536]) or bom_encoding(page):
            return None
        try:
            page = page.decode("utf-8")
        except UnicodeDecodeError:
            return None  # another encoding: the decode stage tells

    if _VISIBLE.search(page) is None:
        return "the page holds no text, only whitespace or invisible characters; nothing to clean"
    return None


#: Lines of the whole-page text read above the article's first paragraph (headline, byline, date, a photo
#: and its caption, share buttons) and below its last (tags, editor, author box). Further down come teasers
#: and comments, whose dates and names belong to other articles (on the AEB and dev pages, reading 20 lines
#: below instead of 40 changed only such captures; dev HTML meta went from 0.931 to 0.951).
PAGE_CONTEXT = 40
PAGE_BELOW = 20
#: Lines of the article itself read at each end (the body pass has read them all).
PAGE_EDGE = 5


def around_body(page_text: str, body: str) -> tuple[str, int | None]:
    """The part of the whole-page text where an article's byline, date and headline live: around its body.

    Menus, sidebars and footers far from the article cost time in the page pass and hold nothing of it;
    the article's own middle was read by the body pass, so only its first and last lines stay as context.
    The body is found by its first and last paragraphs (of the first and last three prose lines, the first
    that the page prints on a line of its own: a headline can repeat in sidebars, a paragraph rarely does);
    if neither is found, the whole page is read. Also returned: the number of the first line below the
    article's last paragraph (None when the whole page is read), where teasers of other articles begin.
    """
    lines = page_text.split("\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n") if reads_like_prose(p)]
    first_seen: dict[str, int] = {}
    last_seen: dict[str, int] = {}
    for number, line in enumerate(lines):
        first_seen.setdefault(line, number)
        last_seen[line] = number
    first = next((first_seen[p] for p in paragraphs[:3] if p in first_seen), None)
    last = next((last_seen[p] for p in reversed(paragraphs[-3:]) if p in last_seen), None)
    if first is None or last is None or last < first:
        return page_text, None
    head = lines[max(0, first - PAGE_CONTEXT): first + PAGE_EDGE]
    tail_start = max(first + PAGE_EDGE, last - PAGE_EDGE + 1)
    tail = lines[tail_start: last + PAGE_BELOW + 1]
    return "\n".join(head + tail), len(head) + last - tail_start + 2


def _better_title(extracted: str | None, printed: str | None) -> str | None:
    """The headline as the page prints it when trafilatura's <title> wraps it ("Outlet: Headline")."""
    if printed and (extracted is None or fold_words(printed) in fold_words(extracted)):
        return printed
    return extracted


#: `CleanResult.error_kind` of each error (the run statistics count failures by kind).
_ERROR_KINDS: dict[type[Exception], str] = {
    DocumentError: "document", DocumentTimeoutError: "timeout", RuleTimeoutError: "rule-timeout",
}
