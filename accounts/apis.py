from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts import person_schools, selectors
from accounts.models import ApiToken
from accounts.services import SignInLocked, api_token_issue, api_token_revoke, sign_in_authenticate
from plp.tenancy.access import school_access_for


class LoginRateThrottle(AnonRateThrottle):
    rate = "20/min"


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never the key (only its first characters)."""

    client = serializers.CharField(source="client_name")
    school = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=["active", "expired", "revoked"], read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "client",
            "school",
            "key_prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "state",
            "revoked_at",
            "revoked_reason",
        ]


class TokenObtainApi(APIView):
    """Exchange an email (or roster username) and password for an API token (send it as
    ``Authorization: Token <key>``). One token per ``client``: asking again for the same client replaces
    its token. It expires after ``expires_in_days`` (default and maximum set by the platform), can be
    revoked on the account page or at ``/api/v1/me/tokens/``, and dies when the password changes. With
    ``school`` (a school's slug) it reaches that school only. Failures count towards the same lockout as
    the login page: a locked account or address gets 429 with ``Retry-After``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    class InputSerializer(serializers.Serializer):
        email = serializers.CharField(
            max_length=254, help_text="Your email, or your username if you have none."
        )
        password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
        client = serializers.CharField(
            max_length=100,
            required=False,
            default="API client",
            help_text="What will use the token (a script, an app): one live token per client.",
        )
        school = serializers.SlugField(
            max_length=80, required=False, allow_blank=True, help_text="Bind the token to one school."
        )
        expires_in_days = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=settings.API_TOKEN_MAX_DAYS,
            help_text=f"Lifetime in days (default {settings.API_TOKEN_DAYS}).",
        )

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            "TokenOutput",
            {
                "token": serializers.CharField(help_text="The key: shown this once, never again."),
                "id": serializers.IntegerField(),
                "client": serializers.CharField(),
                "school": serializers.CharField(allow_null=True),
                "expires_at": serializers.DateTimeField(),
            },
        ),
        auth=[],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = sign_in_authenticate(
                request=request._request,
                identifier=data.validated_data["email"],
                password=data.validated_data["password"],
            )
        except SignInLocked as locked:
            return Response(
                {"detail": locked.lock.message},
                status=429,
                headers={"Retry-After": str(locked.lock.minutes_left * 60)},
            )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["That email or username and password do not match an active account."]}
            )
        if person_schools.sso_required_for(user=user) is not None:  # a password does not open what SSO must
            return Response({"detail": "Your school signs you in with single sign-on only."}, status=403)
        school = None
        if data.validated_data.get("school"):
            try:
                school = school_access_for(user=user, school_slug=data.validated_data["school"]).school
            except Http404:
                raise serializers.ValidationError(
                    {"school": ["You do not belong to a school with this address."]}
                ) from None
        try:
            token, key = api_token_issue(
                user=user,
                client_name=data.validated_data["client"],
                school=school,
                days=data.validated_data.get("expires_in_days"),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_drf_errors(exc)) from None
        update_last_login(None, user)  # "Last signed in" on the People page counts the API too
        return Response(
            {
                "token": key,
                "id": token.pk,
                "client": token.client_name,
                "school": school.slug if school else None,
                "expires_at": serializers.DateTimeField().to_representation(token.expires_at),
            }
        )


def _drf_errors(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": exc.messages}


class MyTokenListApi(generics.ListAPIView):
    """Your API tokens, newest first, live or ended (the key itself is never shown again)."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return _reachable(self.request, selectors.api_tokens_of(user=self.request.user))


def _reachable(request, tokens):
    """A token bound to one school lists and revokes only tokens bound to that school: a leaked school token
    cannot reach the person's others."""
    bound = getattr(request.auth, "school_id", None)
    return tokens if bound is None else tokens.filter(school_id=bound)


class MyTokenDetailApi(APIView):
    """DELETE revokes one of your API tokens at once (it stays listed, revoked). Another person's token id
    is a 404."""

    @extend_schema(responses={204: None})
    def delete(self, request, token_id: int):
        token = _reachable(request, selectors.api_tokens_of(user=request.user)).filter(pk=token_id).first()
        if token is None:
            raise Http404("No such token.")
        api_token_revoke(token=token, reason=ApiToken.Ended.REVOKED)
        return Response(status=204)
