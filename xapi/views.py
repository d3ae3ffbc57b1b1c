"""The school admin's xAPI page: the LRS settings, a connection test, the outbox's state and "send now"
(one page, one URL: the buttons post an ``action``)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from plp.tenancy.decorators import school_roles_required
from schools.roles import DISTRICT_ADMIN, Role
from xapi import lrs, selectors, services
from xapi.forms import LrsConnectionForm
from xapi.tasks import drain

ADMINS = (Role.SCHOOL_ADMIN, DISTRICT_ADMIN)


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*ADMINS)
def xapi_settings(request, school_slug: str):
    connection = selectors.lrs_connection_get()
    action = request.POST.get("action", "save") if request.method == "POST" else None
    if action == "test":
        _test(request, connection)
        return redirect("xapi:settings", school_slug=school_slug)
    if action == "send":
        _send_now(request)
        return redirect("xapi:settings", school_slug=school_slug)
    hint = selectors.secret_hint(connection)
    form = LrsConnectionForm(request.POST if action else None, instance=connection, secret_hint=hint)
    if action and form.is_valid():
        values = {
            name: form.cleaned_data[name] for name in ("endpoint", "key", "enabled", "identify_by_email")
        }
        services.lrs_connection_save(
            connection=connection,
            base_url=request.build_absolute_uri("/"),
            secret=form.cleaned_data["secret"],
            **values,
        )
        messages.success(request, "xAPI settings saved.")
        return redirect("xapi:settings", school_slug=school_slug)
    context = {"form": form, "connection": connection, "outbox": selectors.outbox_summary()}
    return render(request, "xapi/settings.html", context, status=400 if form.errors else 200)


def _test(request, connection) -> None:
    """Try the saved address and credentials now (a network call, on the admin's explicit request)."""
    if connection is None:
        messages.error(request, "Save the LRS settings first.")
        return
    try:
        messages.success(request, services.lrs_connection_test(connection=connection))
    except lrs.LrsError as error:
        messages.error(request, f"Test failed: {error}")


def _send_now(request) -> None:
    """Every waiting statement due now; the worker drains the school's outbox once this commits."""
    count = services.outbox_retry_now()
    school_id = request.school.pk
    transaction.on_commit(lambda: drain.delay(school_id=school_id))
    messages.success(request, f"{count} waiting statement{'' if count == 1 else 's'} will be sent now.")
