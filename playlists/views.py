"""Pages: the student's "My work", item pages, and teacher authoring of frameworks, items and playlists.

Object pages look the object up (404) before checking the method (405), so another school's id is never
told apart from a missing one."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from agency.selectors import choices_from, level_of
from playlists import cartridge_services, forms, framework_services, selectors, services
from playlists.case_import import parse_framework_upload
from playlists.project_selectors import student_projects
from plp.guards import POST, READ_WRITE, SAFE, adults_only, method_then_role
from plp.tenancy.decorators import school_roles_required
from schools import access
from schools.roles import STAFF_ROLES, Role
from submissions.selectors import files_of_item
from submissions.services import item_file_attach
from submissions.uploads import SizeCappedUpload

PER_PAGE = 25


def _authors(request) -> bool:
    return not request.school_roles.isdisjoint(selectors.AUTHOR_ROLES)


AUTHORS_ONLY = "Only teachers and school admins author content."


def _form_errors(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


# The student's day.


@require_safe
@school_roles_required(Role.STUDENT)
def my_work(request, school_slug: str):
    work = selectors.my_work(student=request.user, today=timezone.localdate())
    projects = student_projects(student=request.user)
    level = level_of(student=request.user)
    choices = choices_from(rung=level.rung, work=work)
    shown = [placement.item_id for _, placement, _ in choices.offered]
    if work.next_up:
        shown.append(work.next_up[1].item_id)
    locked = selectors.unmet_prerequisites(student=request.user, item_ids=shown)
    context = {"work": work, "projects": projects, "locked": locked, "level": level, "choices": choices}
    context["week_done"] = (
        selectors.items_done_since(
            student=request.user, since=timezone.localdate() - timedelta(days=timezone.localdate().weekday())
        )
        if level.pace_target
        else None
    )
    return render(request, "playlists/my_work.html", context)


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
            return redirect("playlists:my_work", school_slug=school_slug)
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


@csrf_exempt  # only so the size cap below comes first: _item_file_submit checks the CSRF token itself
def item_file_submit(request, school_slug: str, playlist_id: int, item_id: int):
    if request.method == "POST":
        request.upload_handlers.insert(0, SizeCappedUpload(request, limit=settings.SUBMISSION_MAX_BYTES))
    return _item_file_submit(request, school_slug, playlist_id, item_id)


@csrf_protect
def _item_file_submit(request, school_slug: str, playlist_id: int, item_id: int):
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
        messages.error(request, str(refusal))
        if progress is None or progress.status == progress.Status.NOT_STARTED:  # as opening it would
            return redirect("playlists:my_work", school_slug=school_slug)
        return redirect(
            "playlists:student_item", school_slug=school_slug, playlist_id=playlist.pk, item_id=item_id
        )
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
    playlist, placement, _ = selectors.student_item(
        student=request.user, playlist_id=playlist_id, item_id=item_id
    )
    if refused := method_then_role(request, methods=POST):
        return refused
    try:
        progress = services.item_complete(student=request.user, item=placement.item)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect("playlists:my_work", school_slug=school_slug)
    context = {"playlist": playlist, "placement": placement, "item": placement.item, "progress": progress}
    if request.htmx:
        response = render(request, "playlists/student_item.html#status", context)
        response["HX-Trigger"] = "itemDone"
        return response
    messages.success(request, f"“{placement.item.title}” is done.")
    return redirect("playlists:student_playlist", school_slug=school_slug, playlist_id=playlist.pk)


# Frameworks.


@require_safe
@school_roles_required(*STAFF_ROLES)
def framework_list(request, school_slug: str):
    page = Paginator(selectors.framework_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "playlists/framework_list.html", {"page": page, "can_import": _authors(request)})


@require_http_methods(["GET", "POST"])
@school_roles_required(*selectors.IMPORT_ROLES)
def framework_import_view(request, school_slug: str):
    form = forms.FrameworkImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        parsed = parse_framework_upload(
            raw,
            csv_file=upload.name.lower().endswith(".csv"),
            title=form.cleaned_data["title"] or upload.name.rsplit(".", 1)[0],
            seconds=settings.UPLOAD_PARSE_SECONDS,
        )
        report = framework_services.framework_import(parsed=parsed, subject_name=form.cleaned_data["subject"])
        if report.ok:
            messages.success(
                request,
                f"Imported “{report.framework.title}”: {report.created} new, {report.updated} updated, "
                f"{report.prerequisites} prerequisites, {len(report.warnings)} warning(s).",
            )
            if not report.warnings:
                return redirect(
                    "playlists:framework_detail", school_slug=school_slug, framework_id=report.framework.pk
                )
    status = 400 if report is not None and not report.ok else 200
    return render(request, "playlists/framework_import.html", {"form": form, "report": report}, status=status)


@require_safe
def framework_detail(request, school_slug: str, framework_id: int):
    adults_only(request)
    framework = selectors.framework_get(framework_id=framework_id)
    competencies = selectors.framework_competencies(framework=framework)
    context = {
        "framework": framework,
        "competencies": competencies,
        "can_edit": _sets_up_competencies(request),
    }
    return render(request, "playlists/framework_detail.html", context)


# Competencies and their prerequisites: one page per competency, linked from the framework page, so a
# framework of 500 competencies is not 500 forms with 500 options each.


def _sets_up_competencies(request) -> bool:
    """The framework import page's rule (IMPORT_ROLES): the same people edit the prerequisite graph."""
    return not request.school_roles.isdisjoint(selectors.IMPORT_ROLES)


SETS_UP_ONLY = "Only teachers and school admins set up competencies."


def _competency_of(request, framework_id: int, competency_id: int):
    adults_only(request)
    framework = selectors.framework_get(framework_id=framework_id)
    return framework, selectors.competency_get(framework=framework, competency_id=competency_id)


def _competency_context(request, framework, competency, *, form=None, search="", changed="") -> dict:
    requires, required_by = selectors.competency_prerequisites(competency=competency)
    can_edit = _sets_up_competencies(request)
    form = form or forms.PrerequisiteAddForm()
    context = {
        "framework": framework,
        "competency": competency,
        "requires": requires,
        "required_by": required_by,
        "can_edit": can_edit,
        "form": form,
        "selected": str(form["prerequisite"].value() or ""),
        "search": search,
        "changed": changed,
    }
    if can_edit:
        context["choices"], context["more"] = selectors.prerequisite_choices(
            competency=competency, exclude_ids=[c.pk for c in requires], search=search
        )
    return context


def competency_detail(request, school_slug: str, framework_id: int, competency_id: int):
    framework, competency = _competency_of(request, framework_id, competency_id)
    if refused := method_then_role(request, methods=SAFE):
        return refused
    search = request.GET.get("q", "").strip()[:100]
    context = _competency_context(request, framework, competency, search=search)
    if request.htmx and request.htmx.target == "prerequisite-choice" and context["can_edit"]:
        return render(request, "playlists/competency_detail.html#choices", context)
    return render(request, "playlists/competency_detail.html", context)


def _prerequisites_response(request, school_slug: str, framework, competency, *, form=None, changed=""):
    """htmx: the prerequisites part, with the form's errors or what changed. Without htmx: back to the
    page when it worked, or the page with the errors (and the choice kept)."""
    if form is None and not request.htmx:
        messages.success(request, changed)
        return redirect(
            "playlists:competency_detail",
            school_slug=school_slug,
            framework_id=framework.pk,
            competency_id=competency.pk,
        )
    context = _competency_context(request, framework, competency, form=form, changed=changed)
    if not request.htmx:
        return render(request, "playlists/competency_detail.html", context)
    response = render(request, "playlists/competency_detail.html#prerequisites", context)
    if form is None:
        response["HX-Trigger"] = "prerequisitesChanged"
    return response


def prerequisite_add(request, school_slug: str, framework_id: int, competency_id: int):
    framework, competency = _competency_of(request, framework_id, competency_id)
    if refused := method_then_role(request, methods=POST, roles=selectors.IMPORT_ROLES, refusal=SETS_UP_ONLY):
        return refused
    form = forms.PrerequisiteAddForm(request.POST)
    if form.is_valid():
        # Any framework of the school; another school's id is a 404 like a missing one.
        prerequisite = selectors.competency_get(competency_id=form.cleaned_data["prerequisite"])
        try:
            framework_services.competency_prerequisite_add(competency=competency, prerequisite=prerequisite)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            changed = f"{competency.code} now requires {prerequisite.code}."
            return _prerequisites_response(request, school_slug, framework, competency, changed=changed)
    return _prerequisites_response(request, school_slug, framework, competency, form=form)


def prerequisite_remove(
    request, school_slug: str, framework_id: int, competency_id: int, prerequisite_id: int
):
    framework, competency = _competency_of(request, framework_id, competency_id)
    edge = selectors.prerequisite_edge_get(competency=competency, prerequisite_id=prerequisite_id)
    if refused := method_then_role(request, methods=POST, roles=selectors.IMPORT_ROLES, refusal=SETS_UP_ONLY):
        return refused
    framework_services.competency_prerequisite_remove(edge=edge)
    changed = f"{competency.code} no longer requires {edge.prerequisite.code}."
    return _prerequisites_response(request, school_slug, framework, competency, changed=changed)


# Content items.


@require_safe
@school_roles_required(*STAFF_ROLES)
def item_list(request, school_slug: str):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.content_item_list(search=search), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "can_author": _authors(request)}
    return render(request, "playlists/item_list.html", context)


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


@require_http_methods(["GET", "POST"])
@school_roles_required(*selectors.AUTHOR_ROLES)
def item_create(request, school_slug: str):
    return _item_form_page(request, school_slug)


def item_edit(request, school_slug: str, item_id: int):
    adults_only(request)
    item = selectors.content_item_get(item_id=item_id)
    if refused := method_then_role(
        request, methods=READ_WRITE, roles=selectors.AUTHOR_ROLES, refusal=AUTHORS_ONLY
    ):
        return refused
    return _item_form_page(request, school_slug, item)


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


@require_safe
@school_roles_required(*STAFF_ROLES)
def playlist_list(request, school_slug: str):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.playlist_list(search=search), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "can_author": _authors(request)}
    return render(request, "playlists/playlist_list.html", context)


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


@require_http_methods(["GET", "POST"])
@school_roles_required(*selectors.AUTHOR_ROLES)
def playlist_create(request, school_slug: str):
    return _playlist_form_page(request, school_slug)


def playlist_edit(request, school_slug: str, playlist_id: int):
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    if refused := method_then_role(
        request, methods=READ_WRITE, roles=selectors.AUTHOR_ROLES, refusal=AUTHORS_ONLY
    ):
        return refused
    return _playlist_form_page(request, school_slug, playlist)


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
        "can_author": _authors(request),
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


def _author_may(request, *, methods=POST):
    return method_then_role(request, methods=methods, roles=selectors.AUTHOR_ROLES, refusal=AUTHORS_ONLY)


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
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    placement = selectors.placement_get(playlist=playlist, placement_id=placement_id)
    if refused := _author_may(request):
        return refused
    errors = []
    try:
        services.playlist_item_move(placement=placement, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        errors = _form_errors(exc)
    return _placements_response(request, school_slug, playlist, errors)


def placement_update(request, school_slug: str, playlist_id: int, placement_id: int):
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    placement = selectors.placement_get(playlist=playlist, placement_id=placement_id)
    if refused := _author_may(request):
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
    adults_only(request)
    playlist = selectors.playlist_get(playlist_id=playlist_id)
    placement = selectors.placement_get(playlist=playlist, placement_id=placement_id)
    if refused := _author_may(request):
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


# Common Cartridge import (teachers and school admins, like the framework import).


@require_http_methods(["GET", "POST"])
@school_roles_required(*selectors.IMPORT_ROLES)
def cartridge_import_view(request, school_slug: str):
    """Upload a course export: "Check" shows the dry run (counts, and every resource with what becomes of
    it) and writes nothing; "Import" writes it all at once, or nothing while the report has an error."""
    form = forms.CartridgeImportForm(
        request.POST or None, request.FILES or None, user_id=request.user.pk, school_id=request.school.pk
    )
    report, carried, status = None, "", 200
    dry_run = request.POST.get("action") != "import"
    if request.method == "POST":
        status = 400
        if form.is_valid():
            name, data = form.cleaned_data["upload"]
            subject = form.cleaned_data["subject"].strip()
            try:
                cartridge = cartridge_services.cartridge_read(data=data)
            except cartridge_services.CartridgeError as error:
                form.add_error("file", str(error))
            else:
                if dry_run:
                    report = cartridge_services.cartridge_import_check(
                        cartridge=cartridge, subject_name=subject
                    )
                    carried = form.carry(name=name, data=data) if report.ok else ""
                else:
                    report = cartridge_services.cartridge_import(
                        cartridge=cartridge, subject_name=subject, user=request.user
                    )
                status = 200 if report.ok else 400
                if report.imported:
                    messages.success(request, f"Imported “{cartridge.title}”.")
    context = {"form": form, "report": report, "dry_run": dry_run, "carried": carried}
    return render(request, "playlists/cartridge_import.html", context, status=status)
