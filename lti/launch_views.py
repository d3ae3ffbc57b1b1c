"""The public LTI endpoints an LMS calls (nobody is signed in yet): login initiation, launch, our JWKS.

Each URL names its registration by a random public id; the database sees every school while that id is
looked up (``sees_all_schools``), then everything runs in the registration's school. The launch is a
cross-site form POST from the LMS: it is exempt from CSRF (the signed, single-use id_token and the state
cookie this browser got at login initiation are the checks) and carries no SameSite=Lax session cookie,
so nothing of the launch is kept in the session before the person is signed in.
"""

from django.contrib.auth import login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from lti import claims as lti_claims
from lti import deep_linking, selectors, services, tool
from lti.refusals import LtiRefused, refusal_text
from plp.cross_site import cross_site_endpoint, refused_page
from plp.tenancy.context import sees_all_schools

REFUSAL_KEY = "plp_lti_refusal"


def _refuse(request, refused: LtiRefused, registration):
    context = {"school": registration.school.name, "lms": registration.name}
    context.update({key: str(value) for key, value in refused.context.items()})
    request.session[REFUSAL_KEY] = {"reason": refused.reason, "context": context}
    return redirect("lti:refused")


# The LMS may start a login with a GET (a link) or a cross-site POST (a form): both, CSRF-exempt; the
# state and nonce made here are what the launch checks.
@cross_site_endpoint(methods=("GET", "POST"))
def login_initiation(request, registration):
    the_registration = selectors.public_registration_get(public_id=registration)
    if not the_registration.is_enabled:
        return _refuse(request, LtiRefused("disabled"), the_registration)
    launch_url = request.build_absolute_uri(
        reverse("lti:launch", kwargs={"registration": the_registration.public_id})
    )
    try:
        return tool.login_redirect(request=request, registration=the_registration, launch_url=launch_url)
    except LtiRefused as refused:
        return _refuse(request, refused, the_registration)


@cross_site_endpoint(methods=("POST",))
def launch(request, registration):
    the_registration = selectors.public_registration_get(public_id=registration)
    if not the_registration.is_enabled:
        return _refuse(request, LtiRefused("disabled"), the_registration)
    try:
        message = tool.launch_validate(request=request, registration=the_registration)
        claims = message.get_launch_data()
        user = services.launch_sign_in_match(
            registration=the_registration, person=lti_claims.launch_person(claims)
        )
    except LtiRefused as refused:
        return _refuse(request, refused, the_registration)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    school = the_registration.school
    course = lti_claims.launch_course(claims)
    if course is not None:  # its roster (NRPS) can be previewed from PLP's LTI pages
        staff = selectors.is_teacher(user=user, school=school)
        services.course_record(registration=the_registration, course=course, user=user, is_staff=staff)
    if message.is_deep_link_launch():  # a teacher choosing what to place: the choice page, in the school
        request.session[deep_linking.SESSION_KEY] = {
            "launch_id": message.get_launch_id(),
            "registration": str(the_registration.public_id),
            "school": school.slug,
        }
        return redirect("lti:deep_link", school_slug=school.slug)
    place = lti_claims.launch_place(claims)
    link = services.resource_link_record(registration=the_registration, place=place) if place else None
    target = _landing(user, school, link) or lti_claims.local_target(
        target_link_uri=claims.get(lti_claims.TARGET_LINK_URI, ""),
        host=request.get_host(),
        school_slug=school.slug,
    )
    return redirect(target or reverse("schools:home", kwargs={"school_slug": school.slug}))


def _landing(user, school, link) -> str | None:
    """The page of what the resource link stands for: the student's or the teacher's view of it."""
    if link is None or not (link.playlist_id or link.competency_id):
        return None
    student = selectors.is_student(user=user, school=school)
    if link.playlist_id and student:
        services.placed_playlist_take_up(link=link, student=user)
    if link.playlist_id:
        name = "playlists:student_playlist" if student else "playlists:playlist_detail"
        return reverse(name, kwargs={"school_slug": school.slug, "playlist_id": link.playlist_id})
    return reverse(
        "mastery:competency", kwargs={"school_slug": school.slug, "competency_id": link.competency_id}
    )


@sees_all_schools
@require_safe
def jwks(request, registration):
    """PLP's public keys for this registration: the LMS checks what PLP signs against them."""
    the_registration = selectors.public_registration_get(public_id=registration)
    return JsonResponse(selectors.public_jwks(registration=the_registration))


@require_safe
def refused(request):
    """Why this browser's launch was refused, once (kept in its own session)."""
    return refused_page(request, session_key=REFUSAL_KEY, text=refusal_text)
