"""Errors a user can act on, all of them: each carries a message that says what went wrong and where. The floor
of the package: every layer raises these, and this module imports none of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CleanerError(Exception):
    """Base class for errors raised while cleaning one document."""


class DocumentError(CleanerError):
    """The input cannot be cleaned (binary, undecodable, wrong type); the message says why."""


class DocumentTimeoutError(CleanerError):
    """Cleaning one document ran past its time limit (`timeout=`, `--timeout`)."""


class RuleTimeoutError(CleanerError):
    """A rule's pattern ran past its timeout on this page; the message names the rule and line."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule file."""

    file: str
    line: int
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" rule {self.rule!r}:" if self.rule else ""
        return f"{where}:{who} {self.message}"


class RuleFileError(Exception):
    """One or more rule files are invalid; `problems` lists each with file, line and rule."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RuleTimeout(Exception):
    """A pattern ran past the `regex` timeout on one page."""

    def __init__(self, rule: str, line: int | None) -> None:
        where = f" on line {line}" if line else ""
        super().__init__(f"rule {rule!r} timed out{where}: its pattern backtracks too much on this page")
        self.rule = rule
        self.line = line
