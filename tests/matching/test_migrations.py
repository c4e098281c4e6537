"""Data migrations of the matching app, run on rows as they were before them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("matching", "0005_stemmed_term_vectors")]
AFTER = [("matching", "0006_one_rating_per_reviewer")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_one_rating_per_reviewer_merges_earlier_duplicates_and_repairs_pair_statistics():
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        Resume = apps.get_model("matching", "Resume")
        Job = apps.get_model("matching", "Job")
        Pair = apps.get_model("matching", "Pair")
        Rating = apps.get_model("matching", "Rating")
        ann = User.objects.create(username="ann")
        bob = User.objects.create(username="bob")
        job = Job.objects.create(title="ICU nurse", description="Intensive care.")
        pair = Pair.objects.create(
            resume=Resume.objects.create(original_name="a.txt", sha256="a" * 64), job=job
        )
        # What the API and the admin allowed: ann posted three times.
        for score, note in [(0.25, "thin"), (0.5, ""), (1.0, "second look")]:
            Rating.objects.create(pair=pair, reviewer=ann, score=score, note=note, source="api")
        Rating.objects.create(pair=pair, reviewer=bob, score=0.5, source="admin")
        Rating.objects.create(pair=pair, score=0.0, source="import")
        Rating.objects.create(pair=pair, score=0.0, source="import")
        # A pair a bulk delete left counting a rating that is gone.
        stale = Pair.objects.create(
            resume=Resume.objects.create(original_name="b.txt", sha256="b" * 64),
            job=job,
            rating_count=1,
            rating_mean=0.5,
            rating_spread=0.0,
        )

        apps = _migrate(AFTER)

        Pair = apps.get_model("matching", "Pair")
        Rating = apps.get_model("matching", "Rating")
        (kept,) = Rating.objects.filter(reviewer_id=ann.pk)
        assert (kept.score, kept.note) == (1.0, "second look\n\nthin")
        assert Rating.objects.filter(pair_id=pair.pk).count() == 4  # ann, bob, two imports
        pair = Pair.objects.get(pk=pair.pk)
        assert (pair.rating_count, pair.rating_mean, pair.rating_spread) == (4, 0.375, 1.0)
        stale = Pair.objects.get(pk=stale.pk)
        assert (stale.rating_count, stale.rating_mean, stale.rating_spread) == (0, None, None)
    finally:
        _migrate(_migrate_leaves())


def _migrate_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_evidence_migrations_reread_terms_profiles_and_names_of_stored_resumes():
    from matching.intake import terms

    apps = _migrate([("matching", "0010_resume_profile")])
    try:
        Resume = apps.get_model("matching", "Resume")
        text = (
            "Jordan Pike\nObjective\nStaff accountant role using the general ledger.\n"
            "Experience\nCashier, Harbor Market, Norfolk, VA, Oct 2019 - Oct 2021\n"
            "- Counted the cash drawer\n"
        )
        ids, counts = terms.term_vector(text).to_bytes()  # as 0005 stored it: whole text
        resume = Resume.objects.create(
            original_name="a.txt", sha256="a" * 64, text=text, term_ids=ids, term_counts=counts
        )

        apps = _migrate([("matching", "0012_resume_candidate_name")])

        resume = apps.get_model("matching", "Resume").objects.get(pk=resume.pk)
        stored = terms.TermVector.from_bytes(bytes(resume.term_ids), bytes(resume.term_counts))
        assert terms.term_id(terms.stem("ledger")) not in stored.ids.tolist()
        assert terms.term_id(terms.stem("cashier")) in stored.ids.tolist()
        assert resume.profile["years_total"] == 2.1  # Oct 2019 to Oct 2021, both months worked
        assert resume.candidate_name == "Jordan Pike"
    finally:
        _migrate(_migrate_leaves())


@pytest.mark.django_db(transaction=True)
def test_0019_recounts_terms_without_the_candidates_name_and_reads_markdown_again():
    from matching.intake import terms

    apps = _migrate([("matching", "0018_resume_alternative_process")])
    try:
        Resume = apps.get_model("matching", "Resume")
        text = (
            "Jordan Pike\njordan.pike@example.com\n## Experience\n"
            "**Staff Accountant**, Harbor Market, Oct 2019 - Oct 2021\n- Closed the ledger\n"
        )
        ids, counts = terms.term_vector(text).to_bytes()  # the name and e-mail counted
        resume = Resume.objects.create(
            original_name="a.md", sha256="a" * 64, text=text, term_ids=ids, term_counts=counts
        )

        apps = _migrate([("matching", "0019_terms_without_personal_details")])

        resume = apps.get_model("matching", "Resume").objects.get(pk=resume.pk)
        stored = terms.TermVector.from_bytes(bytes(resume.term_ids), bytes(resume.term_counts))
        assert terms.term_id(terms.stem("jordan")) not in stored.ids.tolist()
        assert terms.term_id(terms.stem("ledger")) in stored.ids.tolist()
        assert resume.profile["roles"][0]["title"].startswith("Staff Accountant")  # no "**"
        assert resume.candidate_name == "Jordan Pike"
    finally:
        _migrate(_migrate_leaves())


@pytest.mark.django_db(transaction=True)
def test_0020_reads_profiles_again_so_a_role_counts_its_end_month():
    apps = _migrate([("matching", "0019_terms_without_personal_details")])
    try:
        Resume = apps.get_model("matching", "Resume")
        text = "Experience\nJunior Backend Developer\nJan 2022 - Dec 2022\nAcme\n- Python APIs\n"
        # As the earlier reading stored it: eleven months.
        profile = {"roles": [], "years_total": 0.9}
        resume = Resume.objects.create(
            original_name="a.txt", sha256="a" * 64, text=text, profile=profile
        )

        apps = _migrate([("matching", "0020_roles_count_their_end_month")])

        resume = apps.get_model("matching", "Resume").objects.get(pk=resume.pk)
        assert resume.profile["years_total"] == 1.0
        assert [r["years"] for r in resume.profile["roles"]] == [1.0]
    finally:
        _migrate(_migrate_leaves())


@pytest.mark.django_db(transaction=True)
def test_0021_reads_where_and_from_when_a_candidate_works():
    apps = _migrate([("matching", "0020_roles_count_their_end_month")])
    try:
        Resume = apps.get_model("matching", "Resume")
        text = "Projektleiter\nverfügbar ab\n01.11.2019\nStädte\nMünchen\n200 km\nKontaktwunsch\n"
        resume = Resume.objects.create(
            original_name="a.txt", sha256="b" * 64, text=text, profile={"language": "other"}
        )

        apps = _migrate([("matching", "0021_work_places_and_availability")])

        work = apps.get_model("matching", "Resume").objects.get(pk=resume.pk).profile["work_terms"]
        assert work["available_from"] == "2019-11-01"
        assert [(p["name"], p["radius_km"]) for p in work["places"]] == [("München", 200.0)]
    finally:
        _migrate(_migrate_leaves())


@pytest.mark.django_db(transaction=True)
def test_0022_reads_the_rate_a_candidate_asks_and_the_employer_of_a_role():
    apps = _migrate([("matching", "0021_work_places_and_availability")])
    try:
        Resume = apps.get_model("matching", "Resume")
        text = (
            "Jan Becker\nStundensatz: 85 EUR\nExperience\nJan 2019 - Present Nurse, St Mary\n"
            "- Cared for six patients per shift on a surgical floor.\n- Precepted nurses.\n"
        )
        resume = Resume.objects.create(
            original_name="a.txt", sha256="c" * 64, text=text, profile={"language": "en"}
        )

        apps = _migrate([("matching", "0022_rates_employers_and_credentials")])

        profile = apps.get_model("matching", "Resume").objects.get(pk=resume.pk).profile
        assert profile["work_terms"]["rate"] == {
            "low": 85.0,
            "high": 85.0,
            "currency": "EUR",
            "per": "hour",
        }
        assert [(r["title"], r["employer"]) for r in profile["roles"]] == [("Nurse", "St Mary")]
    finally:
        _migrate(_migrate_leaves())
