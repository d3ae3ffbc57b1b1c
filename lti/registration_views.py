"""LTI Dynamic Registration's initiation page: what the LMS admin's browser opens (in the LMS's frame or a
window) with ``openid_configuration`` and ``registration_token``. Someone signed out is sent to sign in and
back; then an admin chooses which of their schools registers this LMS, and PLP registers with it."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt

from lti.registration import RegistrationRefused, ToolUrls, is_web_address, origin, registration_dynamic
from plp.tenancy.context import school_scope
from schools.roles import SCHOOL_WIDE_ROLES
from schools.selectors import schools_for_user


class DynamicRegistrationForm(forms.Form):
    school = forms.ChoiceField(label="Register this LMS for")
    name = forms.CharField(
        label="What the school calls this LMS", max_length=70, required=False,
        help_text="Left empty: the LMS's own name.",
    )  # fmt: skip
    openid_configuration = forms.URLField(widget=forms.HiddenInput, max_length=500, assume_scheme="https")
    registration_token = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {school.slug: school for school in schools}
        self.fields["school"].choices = [(school.slug, school.name) for school in schools]


def _admin_schools(user) -> list:
    return [c.school for c in schools_for_user(user=user) if not SCHOOL_WIDE_ROLES.isdisjoint(c.roles)]


def _framed_by(response, configuration_url: str):
    """The LMS shows this page in its own frame: only that LMS's origin may frame it."""
    if is_web_address(configuration_url):
        response._csp_replace = {"frame-ancestors": [origin(configuration_url)]}
    return response


@xframe_options_exempt
@never_cache
def dynamic_registration(request):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    data = request.POST if request.method == "POST" else request.GET
    configuration_url = data.get("openid_configuration", "")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    schools = _admin_schools(request.user)
    initial = {
        "openid_configuration": configuration_url,
        "registration_token": data.get("registration_token", ""),
    }
    form = DynamicRegistrationForm(request.POST if request.method == "POST" else None, schools=schools,
                                   initial=initial)  # fmt: skip
    context = {"form": form, "schools": schools, "lms": origin(configuration_url) if is_web_address(
        configuration_url) else ""}  # fmt: skip
    if not is_web_address(configuration_url):
        context["error"] = "Open this page from your LMS's tool registration: it gives PLP its address."
    elif request.method == "POST" and form.is_valid():
        school = form.schools[form.cleaned_data["school"]]

        def tool_urls(public_id) -> ToolUrls:
            def url(name: str) -> str:
                return request.build_absolute_uri(reverse(name, kwargs={"registration": public_id}))

            return ToolUrls(login=url("lti:login"), launch=url("lti:launch"), jwks=url("lti:jwks"))

        try:
            registration = registration_dynamic(
                school=school,
                configuration_url=form.cleaned_data["openid_configuration"],
                registration_token=form.cleaned_data["registration_token"],
                name=form.cleaned_data["name"],
                tool_urls=tool_urls,
            )
        except RegistrationRefused as refused:
            context["error"] = str(refused)
        else:
            with school_scope(school):
                deployments = list(registration.deployments.all())
            context.update(
                {"registration": registration, "chosen_school": school, "deployments": deployments}
            )
            response = render(request, "lti/dynamic_registration_done.html", context)
            return _framed_by(response, configuration_url)
    return _framed_by(render(request, "lti/dynamic_registration.html", context), configuration_url)
