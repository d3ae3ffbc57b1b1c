from django.contrib.auth.models import update_last_login
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.services import SignInLocked, sign_in_authenticate


class LoginRateThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenObtainApi(APIView):
    """Exchange an email (or roster username) and password for an API token (send it as
    ``Authorization: Token <key>``). Failures count towards the same lockout as the login page: a locked
    account or address gets 429 with ``Retry-After``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    class InputSerializer(serializers.Serializer):
        email = serializers.CharField(
            max_length=254, help_text="Your email, or your username if you have none."
        )
        password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
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
        from sso.selectors import sso_required_for

        if sso_required_for(user=user) is not None:  # a password does not open what SSO must
            return Response({"detail": "Your school signs you in with single sign-on only."}, status=403)
        update_last_login(None, user)  # "Last signed in" on the People page counts the API too
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
