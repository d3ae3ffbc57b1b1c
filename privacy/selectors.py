"""Reads for student data rights: settings, the school's students (present and departed), consent, what
the platform holds about a student, and who the retention schedule would erase."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from plp.tenancy.context import current_school_id
from privacy.models import Departure, Erasure, ParentalConsent, PrivacySettings
from privacy.registry import REGISTRY
from schools.models import Membership, RosterPerson
from schools.roles import Role

# OneRoster grades whose students are (almost always) under 13: pre-K to grade 6.
UNDER_13_GRADES = frozenset({"IT", "PR", "PK", "TK", "KG", "01", "02", "03", "04", "05", "06"})


def privacy_settings_get() -> PrivacySettings:
    """The active school's settings, or unsaved defaults when it never chose."""
    found = PrivacySettings.objects.first()
    return found or PrivacySettings(school_id=current_school_id())


def _school_student_ids() -> QuerySet:
    return Membership.objects.filter(role=Role.STUDENT).values("user_id")


def privacy_students(*, search: str = "") -> QuerySet[User]:
    """Every student of the school, those who left included (they are the ones a retention schedule and an
    erasure are for), with ``is_current`` (an active student membership)."""
    current = Membership.objects.filter(role=Role.STUDENT, is_active=True, user_id=OuterRef("pk"))
    students = User.objects.filter(pk__in=_school_student_ids()).annotate(is_current=Exists(current))
    if search:
        students = students.filter(
            Q(given_name__icontains=search) | Q(family_name__icontains=search) | Q(email__icontains=search)
        )
    return students.order_by("family_name", "given_name", "pk")


def privacy_student_get(*, student_id: int) -> User:
    """A student of the active school (a current one or one who left), or 404."""
    student = User.objects.filter(pk=student_id, pk__in=_school_student_ids()).first()
    if student is None:
        raise Http404("No such student.")
    return student


def consent_history(*, student: User) -> list[ParentalConsent]:
    return list(ParentalConsent.objects.filter(student=student).select_related("recorded_by"))


def roster_suggests_under_13(*, student: User) -> bool:
    """The roster's grades say pre-K to grade 6 (PLP holds no date of birth: OneRoster 1.1 gives none)."""
    grades = RosterPerson.objects.filter(user=student).values_list("grades", flat=True).first()
    return _grades_under_13(grades)


def _grades_under_13(grades) -> bool:
    return any(str(grade).strip().upper() in UNDER_13_GRADES for grade in grades or [])


@dataclass(frozen=True)
class ConsentStanding:
    under_13: bool
    status: str  # "", or a ParentalConsent.Status value
    latest: ParentalConsent | None

    @property
    def sharing_refusal(self) -> str:
        """Why this student's records may not leave PLP now (an export, xAPI statements, grades sent to an
        LMS), or "" when they may: the one consent rule, see :func:`sharing_refusals`."""
        if not self.under_13 or self.status == ParentalConsent.Status.GRANTED:
            return ""
        return f"Under 13 and their parent's consent is {self._consent_state}."

    @property
    def _consent_state(self) -> str:
        return {"denied": "denied", "pending": "still pending"}.get(self.status, "not recorded")

    @property
    def export_refusal(self) -> str:
        """Why an export of this student is refused now, or "" when it may go ahead."""
        if not self.sharing_refusal:
            return ""
        return (
            f"This student is under 13 and their parent's consent is {self._consent_state}: the export is "
            "refused. Record the parent's consent as granted (for instance, with the parent's request for "
            "the export) on this page first."
        )


def consent_standing(*, student: User, history: list[ParentalConsent] | None = None) -> ConsentStanding:
    history = consent_history(student=student) if history is None else history
    latest = history[0] if history else None
    if latest is None:
        return ConsentStanding(under_13=roster_suggests_under_13(student=student), status="", latest=None)
    return ConsentStanding(under_13=latest.under_13, status=latest.status, latest=latest)


def sharing_refusals(*, student_ids) -> dict[int, str]:
    """The students among ``student_ids`` (of the active school) whose records may not be sent outside PLP,
    each with why: under 13 (the school's latest consent record says so, or, with none recorded, the roster's
    grades suggest it) and their parent's consent not granted. The one rule every sender asks (the export,
    xAPI statements, LTI grade passback), in two queries whatever the number of students.

    Fails closed: a student is allowed only on a positive answer (a record saying 13 or older or a granted
    consent, or no record and no under-13 grade on the roster); an error reading the rule raises, and the
    senders send nothing."""
    ids = {int(student_id) for student_id in student_ids}
    if not ids:
        return {}
    latest: dict[int, ParentalConsent] = {}
    for consent in ParentalConsent.objects.filter(student_id__in=ids).order_by(
        "student_id", "-recorded_at", "-pk"
    ):
        latest.setdefault(consent.student_id, consent)
    unrecorded = ids - latest.keys()
    under_13 = set()
    if unrecorded:
        for user_id, grades in RosterPerson.objects.filter(user_id__in=unrecorded).values_list(
            "user_id", "grades"
        ):
            if _grades_under_13(grades):
                under_13.add(user_id)
    refusals = {}
    for student_id in ids:
        consent = latest.get(student_id)
        standing = (
            ConsentStanding(under_13=consent.under_13, status=consent.status, latest=consent)
            if consent
            else ConsentStanding(under_13=student_id in under_13, status="", latest=None)
        )
        if standing.sharing_refusal:
            refusals[student_id] = standing.sharing_refusal
    return refusals


def student_data_counts(*, student: User) -> dict[str, int]:
    """How many rows of each kind the platform holds about ``student`` in the active school."""
    return {
        entry.name: entry.model_class.objects.filter(**{entry.path: student}).count() for entry in REGISTRY
    }


def erasure_pseudonyms(*, student_ids) -> dict[int, str]:
    """Pseudonyms of erased students among ``student_ids`` (the audit log names them so)."""
    return dict(Erasure.objects.filter(student_id__in=student_ids).values_list("student_id", "pseudonym"))


@dataclass(frozen=True)
class RetentionRow:
    student: User
    left_noticed: dt.datetime
    erase_on: dt.date | None

    @property
    def due(self) -> bool:
        return self.erase_on is not None and self.erase_on <= timezone.localdate()


def retention_schedule(*, now: dt.datetime | None = None) -> list[RetentionRow]:
    """The dry run: every student noticed as departed, with the day the schedule erases them (none while the
    school has no ``erase_departed_after_days``), the due ones first."""
    settings = privacy_settings_get()
    days = settings.erase_departed_after_days
    rows = [
        RetentionRow(
            student=departure.student,
            left_noticed=departure.noticed_at,
            erase_on=timezone.localdate(departure.noticed_at + dt.timedelta(days=days)) if days else None,
        )
        for departure in Departure.objects.select_related("student").order_by("noticed_at", "pk")
    ]
    return rows


def retention_due_ids(*, now: dt.datetime) -> list[int]:
    days = privacy_settings_get().erase_departed_after_days
    if not days:
        return []
    cutoff = now - dt.timedelta(days=days)
    return list(Departure.objects.filter(noticed_at__lte=cutoff).values_list("student_id", flat=True))


def erasures() -> QuerySet[Erasure]:
    return Erasure.objects.select_related("erased_by").order_by("-erased_at", "-pk")
