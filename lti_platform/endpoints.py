"""The platform endpoints a tool calls: the OIDC authorization (through the student's browser), the OAuth2
token endpoint and the scores of a line item (server to server), and the school's key set.

Each URL names its tool by a random public id; the database sees every school while that id is looked up
(``sees_all_schools``), then everything runs in the tool's school. The token and score endpoints are
called by the tool's server, not a browser: exempt from CSRF, authenticated by the tool's signed assertion
and the bearer token PLP issued for it.
"""

import json
from urllib.parse import urlencode

from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lti.refusals import LtiRefused
from lti_platform import messages, selectors, services, signing
from lti_platform.views import platform_issuer
from plp.cross_site import cross_site_endpoint
from plp.tenancy.context import school_scope, sees_all_schools


def _oauth_error(refused: signing.PlatformRefused) -> JsonResponse:
    response = JsonResponse(
        {"error": refused.error, "error_description": refused.description}, status=refused.status
    )
    if refused.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{refused.error}"'
    return response


def lineitem_url(request, tool_item) -> str:
    """The item's line item (AGS): read with GET, its scores posted under ``<lineitem>/scores``, its
    results read under ``<lineitem>/results``."""
    kwargs = {"tool": tool_item.tool.public_id, "item": tool_item.public_id}
    return request.build_absolute_uri(reverse("lti_platform:lineitem", kwargs=kwargs))


@sees_all_schools
@never_cache
def auth(request, tool):
    """The tool's OIDC authorization request (GET or a form POST through the browser): answered with the
    id_token, auto-posted to the tool's registered redirect URI; or a refusal page (nobody is launched)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    the_tool = selectors.public_tool_get(public_id=tool)
    params = (request.POST if request.method == "POST" else request.GET).dict()
    try:
        if not the_tool.is_enabled:
            raise LtiRefused("disabled")
        redirect_uri, id_token, state = services.auth_answer(
            tool=the_tool,
            user=request.user,
            params=params,
            issuer=platform_issuer(request),
            lineitem_url_for=lambda tool_item: lineitem_url(request, tool_item),
        )
    except LtiRefused as refused:  # the tool side's refusal pattern and page, in a tool's words
        context = {"school": the_tool.school.name, "tool": the_tool.name}
        context.update({key: str(value) for key, value in refused.context.items()})
        heading, body = messages.refusal_text(reason=refused.reason, context=context)
        return render(
            request,
            "refused.html",
            {
                "heading": heading,
                "body": body,
                "back_url": reverse("agency:my_work", args=[the_tool.school.slug]),
                "back_label": "Back to my work",
            },
        )
    response = render(
        request,
        "lti_platform/auto_post.html",
        {"action": redirect_uri, "fields": {"id_token": id_token, "state": state}, "tool": the_tool},
    )
    # This one form posts to the tool (the CSP's form-action allows only this site elsewhere).
    from urllib.parse import urlsplit

    parts = urlsplit(redirect_uri)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


@cross_site_endpoint(methods=("POST",))
def token(request, tool):
    the_tool = selectors.public_tool_get(public_id=tool)
    token_url = request.build_absolute_uri(reverse("lti_platform:token", kwargs={"tool": the_tool.public_id}))
    try:
        with school_scope(the_tool.school_id):
            body = services.token_issue(tool=the_tool, params=request.POST.dict(), token_url=token_url)
    except signing.PlatformRefused as refused:
        return _oauth_error(refused)
    return JsonResponse(body)


@sees_all_schools
@require_safe
def jwks(request, tool):
    """The public keys of the tool's school as a platform: the tool checks PLP's id_tokens against them."""
    the_tool = selectors.public_tool_get(public_id=tool)
    return JsonResponse(signing.platform_jwks(school_id=the_tool.school_id))


@cross_site_endpoint(methods=("POST",))
def scores(request, tool, item):
    """A score of the line item (POST application/vnd.ims.lis.v1.score+json) for a student who launched it."""
    the_tool = selectors.public_tool_get(public_id=tool)
    tool_item = selectors.tool_item_get(tool=the_tool, public_id=item)
    try:
        signing.access_token_check(
            tool=the_tool, authorization=request.headers.get("Authorization", ""), scope=messages.SCORE_SCOPE
        )
        if request.content_type != messages.SCORE_MEDIA_TYPE:
            raise signing.PlatformRefused(415, "unsupported_media_type", messages.SCORE_MEDIA_TYPE + " only")
        try:
            score = messages.score_parse(json.loads(request.body or b"null"))
        except (ValueError, messages.ScoreRefused) as error:
            raise signing.PlatformRefused(400, "invalid_score", str(error)[:200]) from error
        _, changed = services.score_receive(tool_item=tool_item, score=score)
    except signing.PlatformRefused as refused:
        return _oauth_error(refused)
    return JsonResponse({"changed": changed}, status=200)


def _json(body, media_type: str, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, safe=False)
    response["Content-Type"] = media_type
    return response


def _line_item_of_token(request, tool, item, scopes: tuple[str, ...]):
    """The named tool and its line item, after the bearer token is checked for one of ``scopes`` (404
    for a line item that is not this tool's; PlatformRefused for the token)."""
    the_tool = selectors.public_tool_get(public_id=tool)
    tool_item = selectors.tool_item_get(tool=the_tool, public_id=item)
    authorization = request.headers.get("Authorization", "")
    refused = None
    for scope in scopes:
        try:
            signing.access_token_check(tool=the_tool, authorization=authorization, scope=scope)
        except signing.PlatformRefused as error:
            if error.status != 403:
                raise
            refused = error
        else:
            return tool_item
    raise refused


@cross_site_endpoint(methods=("GET", "HEAD"))
def lineitem(request, tool, item):
    """The line item (GET, AGS 2.0 ``lineitem`` or ``lineitem.readonly`` scope): its label, maximum score and
    resource link. PLP makes an item's line item itself: changing or deleting it is refused (405)."""
    try:
        tool_item = _line_item_of_token(request, tool, item, messages.LINEITEM_READ_SCOPES)
    except signing.PlatformRefused as refused:
        return _oauth_error(refused)
    body = messages.lineitem_json(
        url=lineitem_url(request, tool_item),
        label=tool_item.item.title,
        score_maximum=tool_item.score_maximum,
        resource_link_id=str(tool_item.public_id),
    )
    return _json(body, messages.LINEITEM_MEDIA_TYPE)


@cross_site_endpoint(methods=("GET", "HEAD"))
def results(request, tool, item):
    """The line item's results (GET, ``result.readonly`` scope): each scored student's last score, under the
    opaque id the tool knows them by; ``user_id`` narrows to one, ``limit`` pages (a ``next`` link header
    points at the rest)."""
    try:
        tool_item = _line_item_of_token(request, tool, item, (messages.RESULT_READONLY_SCOPE,))
        try:
            limit = messages.results_limit(request.GET.get("limit"))
            after = int(request.GET.get("after") or 0)
        except (ValueError, messages.ScoreRefused) as error:
            raise signing.PlatformRefused(400, "invalid_request", str(error)[:200]) from error
    except signing.PlatformRefused as refused:
        return _oauth_error(refused)
    user_id = request.GET.get("user_id")
    rows = selectors.line_item_results(tool_item=tool_item, user_id=user_id, after=after, limit=limit + 1)
    url = lineitem_url(request, tool_item)
    body = [
        messages.result_json(
            lineitem_url=url,
            user_id=sub,
            score_given=score.score_given,
            score_maximum=score.score_maximum,
            comment=score.comment,
        )
        for _, sub, score in rows[:limit]
    ]
    response = _json(body, messages.RESULTS_MEDIA_TYPE)
    if len(rows) > limit:
        query = {"limit": limit, "after": rows[limit - 1][0], **({"user_id": user_id} if user_id else {})}
        response["Link"] = f'<{url}/results?{urlencode(query)}>; rel="next"'
    return response
