"""The Celery base task for tenant work: it takes ``school_id`` and runs inside that school's scope."""

from celery import Task
from django.db import InterfaceError, OperationalError

from plp.tenancy.context import school_scope
from plp.tenancy.tenant import tenant_model


class SchoolTask(Task):
    """Base class for every task that touches tenant data.

    The task must be called with ``school_id`` as a keyword argument (ids only, never model instances). It
    enters that school's scope itself, so it behaves the same in a worker (no scope at all) and in eager
    mode (where the caller's scope would otherwise leak in).
    """

    # Retry only what is worth retrying (the database or broker blinked), with backoff and jitter.
    autoretry_for = (OperationalError, InterfaceError)
    retry_backoff = True
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 5

    def __call__(self, *args, **kwargs):
        school_id = kwargs.get("school_id")
        if isinstance(school_id, bool) or not isinstance(school_id, int):
            raise TypeError(f"{self.name} needs school_id=<int> as a keyword argument.")
        School = tenant_model()

        if not School.objects.filter(pk=school_id, is_active=True).exists():
            raise LookupError(f"{self.name}: school {school_id} does not exist or is inactive.")
        with school_scope(school_id):
            return super().__call__(*args, **kwargs)
