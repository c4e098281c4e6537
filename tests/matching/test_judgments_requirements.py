"""Parsing a must-have into what it asks (issue 16)."""

from __future__ import annotations

from matching.scoring.requirements import parse_requirement


def test_years_threshold_and_subject():
    r = parse_requirement("5+ years of backend development experience")
    assert (r.kind, r.years, r.subject) == ("years", 5.0, "backend development")


def test_years_in_words_and_held_role():
    r = parse_requirement("Three years as a Finance Manager")
    assert (r.kind, r.years, r.role) == ("years", 3.0, "Finance Manager")


def test_degree_level_and_fields_any_of():
    r = parse_requirement("Bachelor's degree in accounting, finance or economics")
    assert (r.kind, r.level) == ("education", "bachelor")
    assert r.fields == ["accounting", "finance", "economics"]


def test_mba_is_a_master_in_business_administration():
    r = parse_requirement("MBA or equivalent master's degree")
    assert (r.level, r.fields) == ("master", ["business administration"])


def test_licence_names_with_acronym_alias():
    r = parse_requirement("Certified Public Accountant (CPA) license required")
    assert r.kind == "licence"
    assert r.names == ["Public Accountant", "CPA"]


def test_licence_with_and_needs_each():
    r = parse_requirement("Current CPR and AED certification")
    assert (r.names, r.all_of) == (["CPR", "AED"], True)


def test_tool_alternatives_from_or_and_parentheses():
    r = parse_requirement("GIS software (ArcGIS or QGIS)")
    assert r.kind == "skill"
    assert r.names == ["GIS software", "ArcGIS", "QGIS"]


def test_or_similar_means_any_of():
    r = parse_requirement("Jira or similar issue tracker")
    assert (r.kind, r.names) == ("skill", ["Jira", "issue tracker"])


def test_fluency_is_a_strong_level():
    r = parse_requirement("Fluent in Portuguese")
    assert (r.kind, r.names, r.strong) == ("skill", ["Portuguese"], True)


def test_task_experience_is_a_domain():
    r = parse_requirement("Experience advising on mergers and acquisitions")
    assert r.kind == "domain"


def test_title_like_requirement_asks_for_a_held_role():
    r = parse_requirement("Executive chef experience")
    assert (r.kind, r.role) == ("domain", "Executive chef")
