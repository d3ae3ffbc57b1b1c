"""Every kind of student data the registry names, the newer apps' included (LTI user links and scores sent,
xAPI statements waiting or sent, workshop seats and attendance, calendar feeds, self-direction levels,
handed-in files): a row of each for the student reaches their export and goes with their erasure. The rows
are made generically from the models (tests/fill.py), so a kind added to the registry is covered too."""

import io
import json
import zipfile

from django.urls import reverse

from playlists.models import ContentItem
from plp.tenancy.context import school_scope
from privacy.registry import REGISTRY
from schools.roles import Role
from tests.fill import fill_row

# Columns the generic values would get wrong: check constraints, and consent (an under-13 student is
# exported only with it granted).
VALID = {
    "mentoring.Goal": {"kind": "long_range"},
    "privacy.ParentalConsent": {"status": "granted"},
    # a milestone's file or an item's, never both nor neither: an item's (the newer kind)
    "submissions.SubmissionFile": {"item": lambda school: fill_row(ContentItem, school)},
}


def _student_rows(student, school) -> dict[str, int]:
    with school_scope(school):
        return {
            entry.name: entry.model_class._base_manager.filter(**{entry.path: student}).count()
            for entry in REGISTRY
        }


def _give_the_student_a_row_of_every_kind(student, school) -> None:
    """Top-level kinds first (a profile, a goal...), then those reached through them (its changes)."""
    for entry in sorted(REGISTRY, key=lambda e: not e.direct):
        model = entry.model_class
        if model._base_manager.filter(**{entry.path: student}).exists():
            continue
        if entry.direct:
            overrides = {entry.path: student}
        else:
            parent_field, student_field = entry.path.split("__")
            parent_model = model._meta.get_field(parent_field).related_model
            overrides = {parent_field: parent_model._base_manager.get(**{student_field: student})}
        valid = {k: v(school) if callable(v) else v for k, v in VALID.get(entry.model, {}).items()}
        fill_row(model, school, overrides={**valid, **overrides})


def test_a_row_of_every_kind_is_exported_and_erased(client, school_a):
    school, student = school_a.school, school_a.user(Role.STUDENT)
    _give_the_student_a_row_of_every_kind(student, school)
    before = _student_rows(student, school)
    assert [name for name, n in before.items() if not n] == []

    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    kwargs = {"school_slug": school.slug, "student_id": student.pk}
    response = client.post(reverse("privacy:export", kwargs=kwargs))
    assert response.status_code == 200, response.content[:300]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("student.json"))["data"]
    missing = [entry.name for entry in REGISTRY if len(data.get(entry.name, [])) < before[entry.name]]
    assert missing == [], f"kinds left out of the export: {missing}"
    assert all(f"csv/{entry.name}.csv" in archive.namelist() for entry in REGISTRY)

    assert client.post(reverse("privacy:erase", kwargs=kwargs), {"confirm": "ERASE"}).status_code == 302
    after = _student_rows(student, school)
    kept = {entry.name for entry in REGISTRY if not entry.erase}
    left = [name for name, n in after.items() if n and name not in kept]
    assert left == [], f"kinds the erasure leaves behind: {left}"
