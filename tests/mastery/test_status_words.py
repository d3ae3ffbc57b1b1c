"""A competency's status in words: "not_started" means no evidence in the ledger, not that the student has
not started (they may have done its items), so every page says "Not practised yet", as the workshop
invitation does, in the words of ``MasteryStatus``'s labels."""

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from dashboard.rendering import STATE_CLASS
from mastery.models import MasteryStatus
from plp.tenancy.context import school_scope
from tests.factories import (
    ContentItemFactory,
    ItemProgressFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
)


def test_a_competency_whose_items_the_student_did_but_never_practised_reads_not_practised(
    client, school_a, competency
):
    student = school_a.user("student")
    playlist = PlaylistFactory(school=school_a.school, title="Fractions")
    item = ContentItemFactory(school=school_a.school, title="Read: adding fractions")
    with school_scope(school_a.school):
        item.competencies.add(competency)
    PlaylistItemFactory(playlist=playlist, item=item, position=1)
    PlaylistAssignmentFactory(playlist=playlist, section=school_a.section)
    ItemProgressFactory(item=item, student=student, status="done")
    client.force_login(student)
    page = client.get(reverse("mastery:my_levels", args=["alpha"])).content.decode()
    row = page.split('<th scope="row">')[1].split("</tr>")[0]
    assert "ALPHA.FRAC.1" in row
    assert "○ Not practised yet" in row
    assert "Not started" not in page


def test_every_page_words_a_status_as_its_label():
    for status in MasteryStatus:
        html = render_to_string("mastery/_status.html", {"status": status.value})
        assert status.label in html, status
        assert STATE_CLASS[status][1] == status.label
    css = (Path(settings.BASE_DIR) / "static" / "css" / "plp.css").read_text()
    spoken = re.search(r'\.heatmap td:not\(\[class\]\)::before \{ content: "[^"]*" / "([^"]*)"', css)
    assert spoken and spoken.group(1) == MasteryStatus.NOT_STARTED.label
