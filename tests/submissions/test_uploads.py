"""The size cap works while the body is read: past the limit nothing more of a file is handed on (to memory
or a temporary file), the form says it is too large with its real size, and the submit view still checks
the CSRF token although it reads uploads itself."""

from django.test import Client
from django.urls import reverse

from schools.roles import Role
from submissions.uploads import SizeCappedUpload, TooLarge
from tests.factories import MilestoneFactory
from tests.submissions import files


def test_past_the_limit_chunks_stop_flowing_and_the_stand_in_knows_the_size_seen():
    cap = SizeCappedUpload(limit=100)
    cap.new_file("file", "big.pdf", "application/pdf", None)
    passed = [cap.receive_data_chunk(b"x" * 60, start) for start in (0, 60, 120, 180)]
    assert passed == [b"x" * 60, None, None, None]
    stand_in = cap.file_complete(240)
    assert isinstance(stand_in, TooLarge) and stand_in.size == 240 and stand_in.read() == b""

    cap.new_file("file", "small.pdf", "application/pdf", None)  # the next file is counted afresh
    assert cap.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    assert cap.file_complete(60) is None  # the memory or temporary-file handler completes it


def test_a_file_past_the_limit_is_refused_with_its_real_size(client, school_a, settings):
    settings.SUBMISSION_MAX_BYTES = 1024 * 1024
    milestone = MilestoneFactory(project__section=school_a.section)
    client.force_login(school_a.user(Role.STUDENT))
    url = reverse("playlists:milestone_submit", args=["alpha", milestone.project_id, milestone.pk])
    big = files.PDF + b"0" * (3 * 1024 * 1024)
    response = client.post(url, {"text": "kept", "file": files.upload("essay.pdf", big)})
    assert response.status_code == 200
    assert "The file is 3 MB; files may be at most 1 MB." in response.content.decode()


def test_the_submit_view_still_refuses_a_post_without_the_csrf_token(school_a):
    milestone = MilestoneFactory(project__section=school_a.section)
    client = Client(enforce_csrf_checks=True)
    client.force_login(school_a.user(Role.STUDENT))
    url = reverse("playlists:milestone_submit", args=["alpha", milestone.project_id, milestone.pk])
    response = client.post(url, {"text": "work", "file": files.upload("essay.pdf", files.PDF)})
    assert response.status_code == 403
