"""Applying a course roster: read it again and hand its files to the school's roster import, whose dry
run the admin confirms (one transaction); nobody who left the course is removed.
"""

from django.db import transaction

from lti.models import LtiContext
from lti.nrps.files import roster_files
from lti.nrps.preview import roster_preview
from lti.nrps.reading import memberships_read
from plp.tenancy.context import school_scope
from schools.models import Term
from schools.rostering.services import import_run_create


def _term_keyed(term: Term) -> None:
    """The section's term needs a sourcedId for the roster files to name it: a term made by hand gets
    one of its own (``plp-term-<id>``), which no real roster uses."""
    if not term.sourced_id:
        term.sourced_id = f"plp-term-{term.pk}"
        term.save(update_fields=["sourced_id"])


def roster_apply(*, context: LtiContext, user):
    """Read the roster again and hand it to the school's roster import: its new people, and the course's
    section in the current term with every learner (student) and instructor (teacher) enrolled. An
    ImportRun with its dry-run report (row by row), waiting for the admin's confirmation
    (schools.rostering.services). RosterUnavailable when the LMS does not answer; ValueError when there
    is nothing to add (a re-apply of an applied roster). Nobody who left the course is removed."""
    preview = roster_preview(context=context, members=memberships_read(context=context))
    if not preview.new and not preview.to_enrol:
        raise ValueError(
            "Everyone in this course who can be added is already at the school and in its section."
        )
    with transaction.atomic(), school_scope(context.school_id):
        if preview.to_enrol:
            _term_keyed(preview.section.term if preview.section is not None else preview.term)
        files = roster_files(
            registration=context.registration, members=preview.new, context=context, preview=preview
        )
        return import_run_create(files=files, user=user, background=False)
