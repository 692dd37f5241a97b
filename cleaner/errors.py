"""Errors a user can act on. Each carries a message that says what went wrong and where."""

from __future__ import annotations

from cleaner.ruleset.loader import Problem, RuleFileError
from cleaner.ruleset.model import RuleTimeout


class CleanerError(Exception):
    """Base class for errors raised while cleaning one document."""


class DocumentError(CleanerError):
    """The input cannot be cleaned (binary, undecodable, wrong type); the message says why."""


class DocumentTimeoutError(CleanerError):
    """Cleaning one document ran past its time limit (`timeout=`, `--timeout`)."""


__all__ = ["CleanerError", "DocumentError", "DocumentTimeoutError", "Problem", "RuleFileError", "RuleTimeout"]
