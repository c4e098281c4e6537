"""Reviewers correct the requirement verdicts (issue 16, item 3): a ✓ / ✗ per
requirement on the rating screen and in the admin, one per reviewer, audited, exported,
and measured against on the accuracy page."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEvent
from matching.errors import CorrectionRefused
from matching.models import VerdictCorrection
from matching.review import corrections

pytestmark = pytest.mark.django_db

TEXT = (
    "Maria Chen\nExperience\nStaff Accountant, Brightline, Jan 2019 - present\n"
    "- Ran the month-end close and posted journal entries\n"
)


@pytest.fixture
def pair(make_ranked_job):
    _, [pair] = make_ranked_job(
        [0.8], texts=[TEXT], must_have="Month-end close\nSAP S/4HANA", nice_to_have="CPA"
    )
    return pair


def statuses(pair) -> dict[str, str]:
    return {v["requirement"]: v["status"] for v in pair.verdicts}


def test_a_correction_is_one_per_reviewer_audited_and_withdrawn(pair, reviewer):
    assert statuses(pair) == {
        "Month-end close": "met",
        "SAP S/4HANA": "not_met",
        "CPA": "not_met",
    }
    first = corrections.verdict_correct(
        pair=pair, requirement="SAP S/4HANA", met=True, reviewer=reviewer
    )
    again = corrections.verdict_correct(
        pair=pair, requirement="SAP S/4HANA", met=False, reviewer=reviewer
    )
    assert first.pk == again.pk and VerdictCorrection.objects.count() == 1
    assert (again.met, again.rule_status, again.kind, again.must) == (
        False,
        "not_met",
        "skill",
        True,
    )
    corrections.verdict_correct(pair=pair, requirement="SAP S/4HANA", met=None, reviewer=reviewer)
    assert not VerdictCorrection.objects.exists()
    events = AuditEvent.objects.filter(action="verdict_corrected").order_by("pk")
    assert [(e.details["before"], e.details["after"]) for e in events] == [
        (None, True),
        (True, False),
        (False, None),
    ]
    assert all(e.actor == reviewer and "SAP" in e.details["requirement"] for e in events)
    with pytest.raises(CorrectionRefused, match="not a judged requirement"):
        corrections.verdict_correct(pair=pair, requirement="Python", met=True, reviewer=reviewer)


def test_the_rating_screen_corrects_a_verdict_and_shows_the_reviewers_own(client, reviewer, pair):
    url = reverse("matching:review_correct", args=[pair.pk])
    assert client.post(url, {"requirement": "CPA", "verdict": "met"}).status_code == 302
    assert not VerdictCorrection.objects.exists()  # not signed in: the login page

    client.force_login(reviewer)
    response = client.post(url, {"requirement": "Month-end close", "verdict": "not_met"})
    assert response.status_code == 302 and response.url.endswith("#requirements")
    assert VerdictCorrection.objects.get().met is False
    html = client.get(reverse("matching:review_pair", args=[pair.pk])).content.decode()
    assert html.count('name="verdict"') >= 6  # ✓ and ✗ for each of three requirements
    assert "you: ✗" in html
    assert client.post(url, {"requirement": "Python", "verdict": "met"}).status_code == 400
    assert client.post(url, {"requirement": "CPA", "verdict": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405


def test_accuracy_page_and_export_need_the_view_permission(client, member, pair):
    corrections.verdict_correct(
        pair=pair, requirement="Month-end close", met=True, reviewer=member
    )  # the rules agree
    corrections.verdict_correct(
        pair=pair, requirement="SAP S/4HANA", met=True, reviewer=member
    )  # they do not
    page, export = (
        reverse("matching:verdict_accuracy"),
        reverse("matching:verdict_corrections_export"),
    )
    client.force_login(member)
    for url in (page, export):
        response = client.get(url)
        assert response.status_code == 403
        assert "Can view verdict correction" in response.content.decode()

    member.user_permissions.add(Permission.objects.get(codename="view_verdictcorrection"))
    client.force_login(member)
    response = client.get(page)
    overall = response.context["accuracy"].overall
    assert (overall.n, overall.accuracy, overall.precision_met, overall.recall_met) == (
        2,
        0.5,
        1.0,
        0.5,
    )
    html = response.content.decode()
    assert "SAP S/4HANA" in html.split('id="disagreements"')[1]
    rows = list(csv.reader(io.StringIO(b"".join(client.get(export).streaming_content).decode())))
    assert rows[0][:4] == ["pair", "resume", "job", "requirement"]
    assert sorted(r[3] for r in rows[1:]) == ["Month-end close", "SAP S/4HANA"]
    assert {r[9] for r in rows[1:]} == {member.get_username()}


def test_the_admin_adds_and_changes_a_correction_through_the_audited_service(
    admin_client, admin_user, pair
):
    add = reverse("admin:matching_verdictcorrection_add")
    wrong = admin_client.post(add, {"pair": pair.pk, "requirement": "Python", "met": "on"})
    assert wrong.status_code == 200 and "Not a judged requirement" in wrong.content.decode()
    response = admin_client.post(add, {"pair": pair.pk, "requirement": "CPA", "met": "on"})
    assert response.status_code == 302
    correction = VerdictCorrection.objects.get()
    assert (correction.met, correction.reviewer, correction.rule_status) == (
        True,
        admin_user,
        "not_met",
    )
    change = reverse("admin:matching_verdictcorrection_change", args=[correction.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {}).status_code == 302  # "met" unticked
    assert VerdictCorrection.objects.get().met is False
    assert AuditEvent.objects.filter(action="verdict_corrected").count() == 2
    listing = admin_client.get(reverse("admin:matching_verdictcorrection_changelist"))
    assert "CPA" in listing.content.decode()


@pytest.mark.parametrize(
    "perms, staff, correct, accuracy, admin_list, admin_add",
    [
        ([], False, True, False, False, False),  # a signed-in reviewer: corrects, as they rate
        (["view_verdictcorrection"], False, True, True, False, False),  # no admin without staff
        (["view_verdictcorrection"], True, True, True, True, False),
        (["view_verdictcorrection", "add_verdictcorrection"], True, True, True, True, True),
        (["add_verdictcorrection"], True, True, False, False, True),
    ],
)
def test_every_surface_asks_the_same_permissions(
    client, django_user_model, pair, perms, staff, correct, accuracy, admin_list, admin_add
):
    user = django_user_model.objects.create_user(username="u", password="pw-u-2026", is_staff=staff)
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    client.force_login(user)
    posted = client.post(
        reverse("matching:review_correct", args=[pair.pk]),
        {"requirement": "CPA", "verdict": "met"},
    )
    assert (posted.status_code == 302 and VerdictCorrection.objects.exists()) is correct
    for url in (
        reverse("matching:verdict_accuracy"),
        reverse("matching:verdict_corrections_export"),
    ):
        assert (client.get(url).status_code == 200) is accuracy
    listing = client.get(reverse("admin:matching_verdictcorrection_changelist"))
    assert (listing.status_code == 200) is admin_list
    add = client.get(reverse("admin:matching_verdictcorrection_add"))
    assert (add.status_code == 200) is admin_add
