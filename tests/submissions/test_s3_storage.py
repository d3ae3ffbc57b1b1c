"""With ``PLP_SUBMISSION_STORAGE=s3`` handed-in files go to an S3 bucket (django-storages, boto3): tested
against an S3 endpoint run in the suite (moto's server: the outside world's S3 API, over HTTP), configured
from the environment exactly as a deployment is."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.roles import Role
from submissions.models import SubmissionFile
from submissions.storage import file_storage
from tests.factories import MilestoneFactory
from tests.submissions import files

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "plp-submissions-test"
KEYS = {"PLP_S3_ACCESS_KEY_ID": "plp-app", "PLP_S3_SECRET_ACCESS_KEY": "test-only-files-secret"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _storage_from_the_environment(endpoint: str) -> dict:
    """STORAGES["submissions"] as plp.settings builds it from a deployment's environment."""
    env = {
        **os.environ,
        **KEYS,
        "PLP_SUBMISSION_STORAGE": "s3",
        "PLP_S3_ENDPOINT_URL": endpoint,
        "PLP_S3_BUCKET": BUCKET,
        "PLP_S3_REGION": "us-east-1",
        "DJANGO_SETTINGS_MODULE": "plp.settings",
    }
    code = (
        "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['submissions']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.fixture
def bucket(endpoint, settings):
    config = _storage_from_the_environment(endpoint)
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] == "private" and config["OPTIONS"]["file_overwrite"] is False
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["PLP_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["PLP_S3_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "submissions": config}
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def _keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_handed_in_file_goes_to_the_bucket_privately_and_comes_back_through_the_view(
    client, school_a, bucket, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(project__section=school_a.section)
    student = school_a.user(Role.STUDENT)
    client.force_login(student)
    submit = reverse("playlists:milestone_submit", args=["alpha", milestone.project_id, milestone.pk])
    response = client.post(submit, {"text": "", "file": files.upload("My essay.pdf", files.PDF)})
    assert response.status_code == 302

    (key,) = _keys(bucket)
    assert key.startswith(f"submissions/{school_a.school.pk}/") and "essay" not in key.lower()
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: no public read
    assert "AllUsers" not in json.dumps(grants)

    with school_scope(school_a.school):
        file = SubmissionFile.objects.get()
    client.force_login(school_a.user(Role.TEACHER))
    opened = client.get(reverse("submissions:file_download", args=["alpha", file.public_id]))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == files.PDF
    assert opened["Content-Disposition"] == 'attachment; filename="My essay.pdf"'

    # Erasure deletes the object from the bucket once it commits.
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:erase", args=["alpha", student.pk]), {"confirm": "ERASE"})
    assert _keys(bucket) == []
    assert not file_storage().exists(file.blob)
