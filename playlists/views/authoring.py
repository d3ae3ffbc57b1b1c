"""Teachers' authoring: content items, playlists (their placements and choice boards), assigning a playlist,
and the Common Cartridge import that brings both in.

Object pages look the object up (404) before checking the method (405), so another school's id is never
told apart from a missing one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from playlists import forms, selectors, services
from plp.search import search_term
from plp.tenancy.decorators import school_roles_required
from schools import access
from schools.guards import POST, READ_WRITE, adults_only, method_then_role
from schools.roles import STAFF_ROLES, Role

PER_PAGE = 25


def authors(request) -> bool:
    return not request.school_roles.isdisjoint(selectors.AUTHOR_ROLES)


AUTHORS_ONLY = "Only teachers and school admins author content."


def _form_errors(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def _author_may(request, *, methods=POST):
    return method_then_role(request, methods=methods, roles=selectors.AUTHOR_ROLES, refusal=AUTHORS_ONLY)


def _create_and_edit(form_page, get):
    """The new and edit pages of one kind of authored object around its form page (GET shows it, POST
    saves). New: the method (405), then an author's role (403). Edit: the object first (404 to a
    student and for another school's id; the URL's id goes to ``get``), then the method, then the role."""

    @require_http_methods(["GET", "POST"])
    @school_roles_required(*selectors.AUTHOR_ROLES)
    def create(request, school_slug: str):
        return form_page(request, school_slug)

    def edit(request, school_slug: str, **object_id):
        adults_only(request)
        obj = get(**object_id)
        return _author_may(request, methods=READ_WRITE) or form_page(request, school_slug, obj)

    return create, edit


# Content items.


def _searched_list(listed, template: str):
    """A staff page listing what ``listed(search=...)`` finds for the search box, a page of 25 at a time,
    with the authoring links for those who author."""

    @require_safe
    @school_roles_required(*STAFF_ROLES)
    def page_view(request, school_slug: str):
        search = search_term(request)
        page = Paginator(listed(search=search), PER_PAGE).get_page(request.GET.get("page"))
        context = {"page": page, "search": search, "can_author": authors(request)}
        return render(request, template, context)

    return page_view


item_list = _searched_list(selectors.content_item_list, "playlists/item_list.html")


def _item_form_page(request, school_slug: str, item=None):
    form = forms.ContentItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.CONTENT_FIELDS}
        try:
            saved = services.content_item_save(
                item=item, competencies=list(form.cleaned_data["competencies"]), actor=request.user, **values
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved “{saved.title}”.")
            return redirect("playlists:item_list", school_slug=school_slug)
    return render(request, "playlists/item_form.html", {"form": form, "item": item})


item_create, item_edit = _create_and_edit(_item_form_page, selectors.content_item_get)


@require_http_methods(["GET", "POST"])
@school_roles_required(*selectors.AUTHOR_ROLES)
def item_preview(request, school_slug: str):
    """The item form's live preview (htmx posts the text as the teacher types; a GET reads ``?body=``): the
    text as a student's item page shows it, escaped then Markdown, its TeX left for static/js/math.js to
    render with KaTeX. Nothing is saved."""
    form = forms.ItemPreviewForm(request.POST if request.method == "POST" else request.GET)
    valid = form.is_valid()
    context = {"body": form.cleaned_data["body"] if valid else "", "too_long": not valid}
    return render(request, "playlists/_item_preview.html", context)


# Playlists (authoring).


playlist_list = _searched_list(selectors.playlist_list, "playlists/playlist_list.html")


def _playlist_values(form) -> dict:
    data = form.cleaned_data
    subject = data["subject"] or services.subject_get_or_create(name=data["new_subject"].strip())
    return {
        "title": data["title"],
        "focus_area": data["focus_area"],
        "tier": data["tier"],
        "description": data["description"],
        "subject": subject,
    }


def _playlist_form_page(request, school_slug: str, playlist=None):
    initial = {}
    if playlist is not None:
        initial = {name: getattr(playlist, name) for name in ("title", "focus_area", "tier", "description")}
        initial["subject"] = playlist.subject
    form = forms.PlaylistForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.playlist_save(playlist=playlist, actor=request.user, **_playlist_values(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("playlists:playlist_detail", school_slug=school_slug, playlist_id=saved.pk)
    return render(request, "playlists/playlist_form.html", {"form": form, "playlist": playlist})


playlist_create, playlist_edit = _create_and_edit(_playlist_form_page, selectors.playlist_get)


def _board_form(board, data=None):
    return forms.ChoiceBoardForm(
        data, prefix=f"board-{board.pk}", initial={"label": board.label, "choose": board.choose}
    )


def _detail_context(request, playlist, *, board_forms=None, add_form=None, board_form=None, **extra) -> dict:
    """``board_forms``, ``add_form``, ``board_form``: forms as posted, kept (with what was typed and their
    errors next to their fields) when they were refused."""
    boards = selectors.playlist_boards(playlist=playlist)
    for board in boards:
        board.edit_form = (board_forms or {}).get(board.pk) or _board_form(board)
    return {
        "playlist": playlist,
        "placements": selectors.playlist_placements(playlist=playlist),
        "boards": boards,
        "assignments": selectors.playlist_assignments(playlist=playlist),
        "can_author": authors(request),
        "add_form": add_form or forms.PlaylistItemAddForm(playlist=playlist),
        "board_form": board_form or forms.ChoiceBoardForm(),
        **extra,
    }


@require_safe
def playlist_detail(request, school_slug: str, playlist_id: int):
    adults_only(request)
    return _detail_page(request, selectors.playlist_get(playlist_id=playlist_id))


def _detail_page(request, playlist, **kept):
    progress = selectors.playlist_class_progress(
        playlist=playlist, user=request.user, roles=request.school_roles, today=timezone.localdate()
    )
    page = Paginator(progress, 50).get_page(request.GET.get("page"))
    context = _detail_context(request, playlist, progress_page=page, **kept)
    return render(request, "playlists/playlist_detail.html", context)


def _placements_response(request, school_slug: str, playlist, errors=None, *, notice="", **kept):
    """htmx: the placements part. Without htmx: back to the page, or, when a form (``kept``: add_form,
    board_form, board_forms) was refused, the page with that form as typed."""
    if request.htmx:
        context = _detail_context(request, playlist, errors=errors or [], notice=notice, **kept)
        return render(request, "playlists/playlist_detail.html#placements", context)
    if kept:
        return _detail_page(request, playlist, **kept)
    for error in errors or []:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return redirect("playlists:playlist_detail", school_slug=school_slug, playlist_id=playlist.pk)


def _author_post(request, playlist_id: int):
    """The playlist for an authoring POST: 404 first, then 405 for other methods, then 403 by role."""
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    return playlist, _author_may(request)


def _placement_post(request, playlist_id: int, placement_id: int):
    """An item's place in a playlist for an authoring POST: the playlist and the placement (404), then the
    method (405), then the role (403)."""
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    placement = selectors.placement_get(playlist=playlist, placement_id=placement_id)
    return playlist, placement, _author_may(request)


def playlist_item_add(request, school_slug: str, playlist_id: int):
    playlist, refused = _author_post(request, playlist_id)
    if refused:
        return refused
    form = forms.PlaylistItemAddForm(request.POST, playlist=playlist)
    if form.is_valid():
        try:
            services.playlist_item_add(
                playlist=playlist,
                item=form.cleaned_data["item"],
                required=form.cleaned_data["required"],
                board=form.cleaned_data["board"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _placements_response(request, school_slug, playlist)
    return _placements_response(request, school_slug, playlist, add_form=form)


def placement_move(request, school_slug: str, playlist_id: int, placement_id: int):
    playlist, placement, refused = _placement_post(request, playlist_id, placement_id)
    if refused:
        return refused
    errors = []
    try:
        services.playlist_item_move(placement=placement, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        errors = _form_errors(exc)
    return _placements_response(request, school_slug, playlist, errors)


def placement_update(request, school_slug: str, playlist_id: int, placement_id: int):
    playlist, placement, refused = _placement_post(request, playlist_id, placement_id)
    if refused:
        return refused
    form = forms.PlacementUpdateForm(request.POST, playlist=playlist)
    errors = []
    if form.is_valid():
        try:
            services.playlist_item_update(
                placement=placement, required=form.cleaned_data["required"], board=form.cleaned_data["board"]
            )
        except ValidationError as exc:
            errors = _form_errors(exc)
    else:
        errors = ["Choose a choice board of this playlist."]
    return _placements_response(request, school_slug, playlist, errors)


def placement_remove(request, school_slug: str, playlist_id: int, placement_id: int):
    playlist, placement, refused = _placement_post(request, playlist_id, placement_id)
    if refused:
        return refused
    services.playlist_item_remove(placement=placement)
    return _placements_response(request, school_slug, playlist)


def board_create(request, school_slug: str, playlist_id: int):
    playlist, refused = _author_post(request, playlist_id)
    if refused:
        return refused
    form = forms.ChoiceBoardForm(request.POST)
    if form.is_valid():
        try:
            services.choice_board_create(playlist=playlist, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _placements_response(request, school_slug, playlist)
    return _placements_response(request, school_slug, playlist, board_form=form)


def _board_post(request, playlist_id: int, board_id: int):
    """The playlist and board for an authoring POST: 404 first, then 405, then 403 by role."""
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    board = selectors.board_get(playlist=playlist, board_id=board_id)
    return playlist, board, _author_may(request)


def board_update(request, school_slug: str, playlist_id: int, board_id: int):
    playlist, board, refused = _board_post(request, playlist_id, board_id)
    if refused:
        return refused
    form = _board_form(board, request.POST)
    if form.is_valid():
        try:
            services.choice_board_update(board=board, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _placements_response(request, school_slug, playlist)
    return _placements_response(request, school_slug, playlist, board_forms={board.pk: form})


def board_delete(request, school_slug: str, playlist_id: int, board_id: int):
    playlist, board, refused = _board_post(request, playlist_id, board_id)
    if refused:
        return refused
    freed = services.choice_board_delete(board=board)
    kept = f"its {freed} item{pluralize(freed)} stay{pluralize(freed, 's,')} as ordinary items"
    notice = f"Deleted the choice board “{board.label}”: {kept if freed else 'it held no items'}."
    return _placements_response(request, school_slug, playlist, notice=notice)


def playlist_assign(request, school_slug: str, playlist_id: int):
    """Teachers assign to the sections they teach, or to one of their students, with a pacing plan."""
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    only_teachers = "Only teachers assign playlists, to the sections they teach."
    if refused := method_then_role(request, methods=READ_WRITE, roles=(Role.TEACHER,), refusal=only_teachers):
        return refused
    sections = access.sections_taught(user=request.user)
    students = access.students_taught_by(user=request.user)
    form = forms.AssignForm(
        request.POST or None,
        sections=sections,
        students=students,
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.playlist_assign(playlist=playlist, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Assigned “{playlist.title}”.")
            return redirect("playlists:playlist_detail", school_slug=school_slug, playlist_id=playlist.pk)
    return render(request, "playlists/playlist_assign.html", {"playlist": playlist, "form": form})
