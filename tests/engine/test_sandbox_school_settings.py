"""What-ifs on the school's own settings (pace tolerance, check-in cadence and grace: ``SchoolSettings``) run
and apply as the engine's thresholds do: the sandbox reads them as one set (``engine/school_policy.py``),
validates a new value as the setting itself does, and Apply writes the row that holds it."""

import pytest
from django.urls import reverse

from engine.models import SandboxRun, SchoolThresholds
from engine.sandbox import FIELDS, thresholds_update
from engine.selectors import thresholds_for_school
from plp.tenancy.context import school_scope
from schools.forms import SchoolDetailsForm
from schools.models import School, SchoolSettings
from schools.policy_defaults import CHECK_IN_DAYS, PACE_MARGIN
from schools.roles import Role
from tests.engine.test_sandbox import _run


def _apply(world, client, run):
    return client.post(reverse("engine:sandbox_run", args=["alpha", run.pk]))


@pytest.mark.parametrize(
    ("field", "value", "before", "after"),
    [("pace_margin", "0.3", PACE_MARGIN, 0.3), ("check_in_days", "7", CHECK_IN_DAYS, 7)],
)
def test_a_what_if_on_a_school_setting_applies_to_the_schools_settings(
    school_a, client, field, value, before, after
):
    run = _run(school_a, client, {"field": field, "value": value, "weeks": "2", "section": ""})
    assert run.status == SandboxRun.Status.DONE and (run.value_before, run.value_after) == (before, after)
    with school_scope(school_a.school):
        assert not SchoolSettings.objects.exists()  # nothing live until applied

    assert _apply(school_a, client, run).status_code == 302
    with school_scope(school_a.school):
        assert getattr(SchoolSettings.objects.get(), field) == after
        assert not SchoolThresholds.objects.exists()  # the engine's own row is not made for it
        assert getattr(thresholds_for_school(), field) == after  # the flags and Next up follow


def test_the_sandbox_shows_and_replays_from_the_schools_own_settings(school_a, client):
    SchoolSettings.objects.create(school=school_a.school, pace_margin=0.25)
    SchoolThresholds.objects.create(school=school_a.school, wheel_spin_answers=6)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    body = client.get(reverse("engine:sandbox", args=["alpha"])).content.decode()
    assert "(now 0.25)" in body and "(now 6)" in body
    run = _run(school_a, client, {"field": "pace_margin", "value": "0.2", "weeks": "2", "section": ""})
    assert (run.value_before, run.value_after) == (0.25, 0.2)

    with school_scope(school_a.school):
        SchoolSettings.objects.update(pace_margin=0.4)  # changed since the what-if ran
    refused = _apply(school_a, client, run)
    assert refused.status_code == 400 and "run it again" in refused.content.decode()


def test_a_school_setting_is_validated_as_the_setting_itself(school_a, client):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    data = {"field": "pace_margin", "value": "1.5", "weeks": "2", "section": ""}
    response = client.post(reverse("engine:sandbox", args=["alpha"]), data)
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 1.0." in response.content.decode()
    with school_scope(school_a.school), pytest.raises(Exception, match="greater than or equal to 1"):
        thresholds_update(by=school_a.user(Role.SCHOOL_ADMIN), changes={"check_in_days": 0})


def test_the_school_details_page_and_the_sandbox_edit_no_setting_in_common():
    """A school admin edits settings on two pages: the school's details (onboarding step 1: the ``School``
    row, and a term) and the policy sandbox (``SchoolThresholds`` and ``SchoolSettings``, changed only by
    Apply). Each setting has one page: no setting is on both, so neither links to the other for one."""
    columns = {
        model: {f.name for f in model._meta.concrete_fields}
        for model in (School, SchoolSettings, SchoolThresholds)
    }
    details = set(SchoolDetailsForm.base_fields) - {"term_name", "term_start", "term_end"}
    assert details <= columns[School]
    assert details.isdisjoint(columns[SchoolSettings] | columns[SchoolThresholds])
    assert set(FIELDS) <= columns[SchoolSettings] | columns[SchoolThresholds]
    assert set(FIELDS).isdisjoint(columns[School] | set(SchoolDetailsForm.base_fields))
