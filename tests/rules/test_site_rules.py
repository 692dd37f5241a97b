"""fundus's habit: every site rule has a fixture page and is listed in the docs."""

from __future__ import annotations

import re

from cleaner import Cleaner
from cleaner.ruleset.loader import bundled_rules_dir, load_rules
from tests.conftest import ROOT, expected_fixtures, load_expected, page_for

SITES = [r for r in load_rules() if r.kind == "site"]


def test_there_are_site_rules() -> None:
    assert {"dw", "egindo", "republika", "jatimtimes", "ipol"} <= {s.id for s in SITES}


def test_every_site_rule_has_a_fixture() -> None:
    covered = {load_expected(p).get("site") for p in expected_fixtures()}
    missing = sorted(s.id for s in SITES if s.id not in covered)
    assert not missing, f"site rules without a fixture page: {missing}"


def test_every_site_rule_is_listed_in_the_docs() -> None:
    listed = set(re.findall(r"^\| `([a-z0-9_.-]+)` \|", (ROOT / "docs" / "sites.md").read_text(), re.M))
    assert listed == {s.id for s in SITES}


def test_every_site_rule_has_a_name_and_a_way_to_be_chosen() -> None:
    for site in SITES:
        assert site.name, site.id
        assert site.domains or site.signatures, site.id


def test_bundled_rules_are_the_repository_rules() -> None:
    assert (bundled_rules_dir() / "sites").is_dir()


def test_every_site_fixture_is_recognised_without_its_url(cleaner: Cleaner) -> None:
    """Scraped text often comes without a URL: the site's content signature must pick the site."""
    for path in expected_fixtures():
        expected = load_expected(path)
        if expected.get("site"):
            result = cleaner.clean(page_for(path).read_text(encoding="utf-8"))
            assert result.site == expected["site"], path.name
