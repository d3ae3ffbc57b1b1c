"""The storage of handed-in files, looked up at each use (so a deployment's or a test's setting applies)."""

from django.core.files.storage import Storage, storages

ALIAS = "submissions"


def file_storage() -> Storage:
    return storages[ALIAS]
