"""One object by the id in a URL, where the school is not the URL's own: a school's admin pages for its LTI
registrations, tools and sign-in providers (the school is given), and the public URLs an LMS, a tool or an
identity provider calls before any school is known (a random public id names the row and so its school)."""

from django.http import Http404

from plp.tenancy.context import school_scope


def school_object_get(model, *, school, pk: int, missing: str):
    """``model``'s row ``pk`` inside ``school``: another school's id, or none, is a 404 saying ``missing``."""
    with school_scope(school):
        found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(missing)
    return found


def public_object_get(model, *, public_id, missing: str, **conditions):
    """``model``'s row that a public URL names by its random ``public_id``, with its school (which must be
    active), read inside ``sees_all_schools``; a 404 saying ``missing`` when none meets ``conditions``."""
    # unscoped: a public URL names its row by a random public id before any school is active; the caller
    # enters the row's school for everything it reads next.
    found = (
        model.objects.unscoped()
        .filter(public_id=public_id, school__is_active=True, **conditions)
        .select_related("school")
        .first()
    )
    if found is None:
        raise Http404(missing)
    return found
