"""Rule files: the YAML schema (`loader`) and the compiled form the stages run (`model`)."""

from cleaner.errors import Problem, RuleFileError, RuleTimeout
from cleaner.ruleset.loader import bundled_rules_dir, load_rules
from cleaner.ruleset.model import Action, Matcher, Rule, RuleSet, Scope, TitleSpec

__all__ = [
    "Action", "Matcher", "Problem", "Rule", "RuleFileError", "RuleSet", "RuleTimeout", "Scope", "TitleSpec",
    "bundled_rules_dir", "load_rules",
]
