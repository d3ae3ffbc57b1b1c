"""The student's pages: a playlist, an item (start it, hand a file in, mark it done). "My work", the page
that lists them under the engine's ranking, is agency's (agency/views.py).

Object pages look the object up (404) before checking the method (405), so another school's id is never
told apart from a missing one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect

from playlists import forms, selectors, services
from schools.guards import POST, method_then_role
from schools.roles import Role
from submissions.selectors import files_of_item
from submissions.services import item_file_attach
from submissions.uploads import size_capped_files

# The student's day.


@require_safe
def student_playlist(request, school_slug: str, playlist_id: int):
    row = selectors.student_playlist(
        student=request.user, playlist_id=playlist_id, today=timezone.localdate()
    )
    locked = selectors.unmet_prerequisites(student=request.user, item_ids={p.item_id for p in row.placements})
    return render(request, "playlists/student_playlist.html", {"row": row, "locked": locked})


@require_safe
def student_item(request, school_slug: str, playlist_id: int, item_id: int):
    playlist, placement, progress = selectors.student_item(
        student=request.user, playlist_id=playlist_id, item_id=item_id
    )
    if progress is None or progress.status == progress.Status.NOT_STARTED:
        try:
            progress = services.item_start(student=request.user, item=placement.item)
        except PermissionDenied as refusal:  # the student's self-direction level: what they may do instead
            messages.error(request, str(refusal))
            return redirect("agency:my_work", school_slug=school_slug)
    return _item_page(request, playlist, placement, progress)


def _item_page(request, playlist, placement, progress, *, file_form=None):
    """The student's item page; ``file_form``: a file form that met an error, shown with its message."""
    item = placement.item
    context = {"playlist": playlist, "placement": placement, "item": item, "progress": progress}
    context["needs_first"] = selectors.unmet_prerequisites(
        student=request.user, item_ids=[placement.item_id]
    ).get(placement.item_id)
    if item.kind == item.Kind.EXERCISE:
        context["practice_competencies"] = selectors.item_competencies(item=item)
    if item.asks_for_file:  # never a tool's item: it is done in the tool, which reports back
        if not context["needs_first"]:  # a locked item takes no file yet (services.item_hand_in_open)
            context["file_form"] = file_form or forms.HandInFileForm(auto_id="id_item_file_%s")
        context["my_files"] = files_of_item(item=item, student=request.user)
    return render(request, "playlists/student_item.html", context)


@size_capped_files
def item_file_submit(request, school_slug: str, playlist_id: int, item_id: int):
    """A student hands a file in for an item of their playlist (the milestone form's file part, vetted and
    stored the same way); a newer file replaces the one before, which is kept, marked replaced."""
    playlist, placement, progress = selectors.student_item(
        student=request.user, playlist_id=playlist_id, item_id=item_id
    )
    if refused := method_then_role(request, methods=POST, roles={Role.STUDENT}):
        return refused
    try:  # the item's own rules (asks for a file, its lock, the student's level), as its page applies them
        progress = services.item_hand_in_open(student=request.user, item=placement.item)
    except PermissionDenied as refusal:
        return _refused(request, refusal, playlist=playlist, item_id=item_id, progress=progress)
    form = forms.HandInFileForm(request.POST, request.FILES, auto_id="id_item_file_%s")
    if form.is_valid():
        try:
            item_file_attach(item=placement.item, student=request.user, file=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
    if form.errors:
        return _item_page(request, playlist, placement, progress, file_form=form)
    messages.success(request, f"Your file for “{placement.item.title}” is handed in.")
    return redirect(
        "playlists:student_item", school_slug=school_slug, playlist_id=playlist.pk, item_id=item_id
    )


def item_done(request, school_slug: str, playlist_id: int, item_id: int):
    playlist, placement, progress = selectors.student_item(
        student=request.user, playlist_id=playlist_id, item_id=item_id
    )
    if refused := method_then_role(request, methods=POST):
        return refused
    try:
        progress = services.item_mark_done(student=request.user, item=placement.item)
    except PermissionDenied as refusal:
        return _refused(request, refusal, playlist=playlist, item_id=item_id, progress=progress)
    context = {"playlist": playlist, "placement": placement, "item": placement.item, "progress": progress}
    if request.htmx:
        response = render(request, "playlists/student_item.html#status", context)
        response["HX-Trigger"] = "itemDone"
        return response
    messages.success(request, f"“{placement.item.title}” is done.")
    return redirect("playlists:student_playlist", school_slug=school_slug, playlist_id=playlist.pk)


def _refused(request, refusal: PermissionDenied, *, playlist, item_id: int, progress):
    """A refused action on an item says why, back on the item's page when the student has opened it (a
    locked item: its page shows what unlocks it), else on My work, as opening it would (their level); an htmx
    form follows the redirect as a whole page, not inside the part it swaps."""
    messages.error(request, str(refusal))
    if progress is None or progress.status == progress.Status.NOT_STARTED:
        page = reverse("agency:my_work", args=[request.school.slug])
    else:
        page = reverse("playlists:student_item", args=[request.school.slug, playlist.pk, item_id])
    return HttpResponseClientRedirect(page) if request.htmx else redirect(page)
