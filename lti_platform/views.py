"""The school admin's pages for external LTI tools (and what to type into each tool), the teacher's page to
place a tool in a playlist, and the student's launch of a tool item."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from lti_platform import selectors, services, signing
from lti_platform.forms import ToolForm, ToolItemForm
from lti_platform.models import ToolRegistration
from playlists import selectors as playlist_selectors
from playlists.services import item_start
from plp.tenancy.decorators import school_roles_required
from schools.guards import READ_WRITE, SAFE, admins_only, method_then_role
from schools.roles import SCHOOL_WIDE_ROLES, Role


def platform_issuer(request) -> str:
    """PLP's issuer (iss) as a platform: this site's address."""
    return request.build_absolute_uri("/").rstrip("/")


def platform_addresses(request, tool: ToolRegistration) -> dict[str, str]:
    """What the school types into the tool when registering PLP as a platform."""

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name, kwargs={"tool": tool.public_id}))

    return {
        "Issuer (iss)": platform_issuer(request),
        "Client id": tool.client_id,
        "Deployment id": tool.deployment_id,
        "OIDC authorization URL": url("lti_platform:auth"),
        "Access token URL": url("lti_platform:token"),
        "Public key set (JWKS) URL": url("lti_platform:jwks"),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*SCHOOL_WIDE_ROLES)
def tools(request, school_slug: str):
    """The school's tools and what to give each; a POST makes a new platform key for the school."""
    if request.method == "POST":
        signing.platform_key_rotate(school_id=request.school.pk)
        messages.success(
            request, "A new key signs from now on; the previous one stays published for a while."
        )
        return redirect("lti_platform:tools", school_slug=school_slug)
    rows = [(tool, platform_addresses(request, tool)) for tool in selectors.tool_list(school=request.school)]
    return render(request, "lti_platform/tools.html", {"tools": rows})


@require_http_methods(["GET", "POST"])
@school_roles_required(*SCHOOL_WIDE_ROLES)
def tool_new(request, school_slug: str):
    form = ToolForm(request.POST or None, instance=ToolRegistration(school=request.school))
    if request.method == "POST" and form.is_valid():
        tool = services.tool_save(tool=form.save(commit=False))
        messages.success(request, f"{tool.name} added. Give the tool the addresses below.")
        return redirect("lti_platform:tool_edit", school_slug=school_slug, tool_registration_id=tool.pk)
    return render(request, "lti_platform/tool.html", {"form": form, "tool": None})


def _tool(request, tool_id: int) -> ToolRegistration:
    """A tool of this school for its admins; for anyone else, like another school's id, a 404."""
    admins_only(request, missing="No such tool.")
    return selectors.tool_get(school=request.school, tool_id=tool_id)


def tool_edit(request, school_slug: str, tool_registration_id: int):
    tool = _tool(request, tool_registration_id)
    if refused := method_then_role(request, methods=READ_WRITE):
        return refused
    form = ToolForm(request.POST if request.method == "POST" else None, instance=tool)
    if request.method == "POST" and form.is_valid():
        services.tool_save(tool=form.save(commit=False))
        messages.success(request, f"{tool.name} saved.")
        return redirect("lti_platform:tool_edit", school_slug=school_slug, tool_registration_id=tool.pk)
    context = {"form": form, "tool": tool, "addresses": platform_addresses(request, tool)}
    return render(request, "lti_platform/tool.html", context)


def tool_delete(request, school_slug: str, tool_registration_id: int):
    """Delete a tool for good, after a page that says what goes with it (its items, where they are placed,
    the scores it holds) and what stays (the evidence in the mastery ledger). Admins only; POST deletes."""
    tool = _tool(request, tool_registration_id)
    if refused := method_then_role(request, methods=READ_WRITE):
        return refused
    if request.method == "POST":
        name = tool.name
        count = services.tool_delete(tool=tool)
        messages.success(
            request,
            f"{name} deleted, with its {count} item{'' if count == 1 else 's'}. "
            "The evidence its scores gave stays in the students' records.",
        )
        return redirect("lti_platform:tools", school_slug=school_slug)
    preview = selectors.tool_deletion_preview(tool=tool)
    return render(request, "lti_platform/tool_delete.html", {"tool": tool, "preview": preview})


@require_http_methods(["GET", "POST"])
@school_roles_required(*playlist_selectors.AUTHOR_ROLES)
def item_new(request, school_slug: str):
    """A teacher places an external tool in a playlist: a content item that launches it."""
    form = ToolItemForm(request.POST or None, initial={"playlist": request.GET.get("playlist")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.tool_item_create(
                tool=data["tool"],
                title=data["title"],
                competencies=list(data["competencies"]),
                playlist=data["playlist"],
                score_maximum=data["score_maximum"],
                estimated_minutes=data["estimated_minutes"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{item.title}” added.")
            if data["playlist"]:
                return redirect(
                    "playlists:playlist_detail", school_slug=school_slug, playlist_id=data["playlist"].pk
                )
            return redirect("playlists:item_list", school_slug=school_slug)
    return render(request, "lti_platform/item_new.html", {"form": form})


def launch(request, school_slug: str, playlist_id: int, item_id: int):
    """A student opens a tool item: PLP starts the tool's login (third-party initiated) for them."""
    _, placement, progress = playlist_selectors.student_item(
        student=request.user, playlist_id=playlist_id, item_id=item_id
    )
    tool_item = selectors.tool_item_of(item_id=item_id)
    if tool_item is None or not tool_item.tool.is_enabled:
        raise Http404("This item opens no tool.")
    # A link, as opening any item is (a form could not be redirected to the tool: CSP form-action 'self').
    if refused := method_then_role(request, methods=SAFE, roles=(Role.STUDENT,)):
        return refused
    if progress is None or progress.status == progress.Status.NOT_STARTED:
        try:
            item_start(student=request.user, item=placement.item)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("agency:my_work", school_slug=school_slug)
    url = services.launch_start(
        student=request.user, placement=placement, tool_item=tool_item, issuer=platform_issuer(request)
    )
    return redirect(url)
