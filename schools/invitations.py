"""Invitations of a school's people: send, resend, record acceptance. The link is in accounts.invitations."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.emails import PLACEHOLDER_DOMAIN, is_placeholder_email
from accounts.invitations import invitation_email_send
from plp.tenancy.context import all_schools, current_school_id
from schools.models import Membership, School
from schools.rostering.models import Invitation


def invitation_send(*, user, sent_by, base_url: str) -> Invitation:
    """Mail ``user`` a link to set a password, and record it (a resend counts up). A person with a password
    already or with no real email address cannot be invited."""
    if is_placeholder_email(user.email):
        raise ValidationError("The roster gives no email address for this person: add one, then invite them.")
    if user.has_usable_password():
        raise ValidationError("This person has already set a password: they can log in.")
    school = School.objects.get(pk=current_school_id())
    with transaction.atomic():
        invitation = Invitation.objects.filter(user=user).first()
        now = timezone.now()
        if invitation is None:
            invitation = Invitation(school=school, user=user, sent_by=sent_by, last_sent_at=now)
        else:
            invitation.times_sent += 1
            invitation.last_sent_at, invitation.sent_by = now, sent_by
        invitation.full_clean()
        invitation.save()
        transaction.on_commit(
            lambda: invitation_email_send(user=user, school_name=school.name, base_url=base_url)
        )
    return invitation


def invitation_mark_accepted(*, user) -> int:
    """The person set their password: every school's invitation of theirs is accepted."""
    # unscoped: the invitation page is outside any school; the person's invitations from every school close.
    with all_schools():
        return (
            Invitation.objects.unscoped()
            .filter(user=user, accepted_at=None)
            .update(accepted_at=timezone.now())
        )


def invitations_pending() -> QuerySet:
    """People with an active membership here who cannot log in yet, have a real email and were never
    invited by this school."""
    User = get_user_model()
    members = Membership.objects.filter(is_active=True).values("user_id")
    invited = Invitation.objects.values("user_id")
    return (
        User.objects.filter(pk__in=members, is_active=True)
        .exclude(pk__in=invited)
        .exclude(email__endswith=f".{PLACEHOLDER_DOMAIN}")
        .filter(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("pk")
    )


def invitations_send_pending(*, sent_by_id: int | None, base_url: str) -> int:
    """Invite everyone pending (the background task behind "Invite everyone not yet invited")."""
    sent_by = get_user_model().objects.filter(pk=sent_by_id).first() if sent_by_id else None
    sent = 0
    for user in invitations_pending().iterator(chunk_size=500):
        invitation_send(user=user, sent_by=sent_by, base_url=base_url)
        sent += 1
    return sent
