"""A file row deleted by any path (erasure, a deleted milestone or project, an account removed) takes its
stored blob with it once the transaction commits: storage housekeeping, the one hook that sees cascades."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from submissions.models import SubmissionFile
from submissions.storage import file_storage


@receiver(post_delete, sender=SubmissionFile, dispatch_uid="submissions.delete_blob")
def _delete_blob(sender, instance: SubmissionFile, **kwargs) -> None:
    name = instance.blob
    transaction.on_commit(lambda: file_storage().delete(name))
