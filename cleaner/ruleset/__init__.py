"""Rule files: the YAML schema (`loader`) and the compiled form the stages run (`model`)."""

from cleaner.ruleset.loader import Problem, RuleFileError, bundled_rules_dir, load_rules
from cleaner.ruleset.model import Action, Matcher, Rule, RuleSet, RuleTimeout, Scope, TitleSpec

__all__ = [
    "Action", "Matcher", "Problem", "Rule", "RuleFileError", "RuleSet", "RuleTimeout", "Scope", "TitleSpec",
    "bundled_rules_dir", "load_rules",
]
