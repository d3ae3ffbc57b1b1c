"""School-scoped API: a student's Next up as the engine ranked it, and the teachers' pins and vetoes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEntry
from audit.recorder import audits
from engine import selectors, services
from engine.models import ItemDirective, StudentRecommendation
from playlists.models import ContentItem
from plp.api.views import SchoolScopedAPIMixin
from schools.access import student_access_get


class RecommendationSerializer(serializers.ModelSerializer):
    # Null when the suggestion has no item (a check) or no competency: declared so in the schema.
    item_title = serializers.CharField(source="item.title", default=None, allow_null=True, read_only=True)
    competency_code = serializers.CharField(
        source="competency.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = StudentRecommendation
        fields = ["rank", "kind", "item", "item_title", "playlist", "competency", "competency_code",
                  "reason", "pinned", "computed_at"]  # fmt: skip


class DirectiveSerializer(serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)
    not_in_effect = serializers.SerializerMethodField(
        help_text="Why an active pin is not followed now (locked, done already, not assigned), or empty."
    )

    class Meta:
        model = ItemDirective
        fields = ["id", "item", "item_title", "kind", "reason", "is_active", "not_in_effect", "created_at",
                  "ended_at"]  # fmt: skip

    def get_not_in_effect(self, directive) -> str:
        return getattr(
            directive, "not_in_effect", ""
        )  # set by selectors.directives_for; a new pin is in effect


class DirectiveInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=ItemDirective.Kind.choices)
    reason = serializers.CharField(max_length=300)


class NextUpSerializer(serializers.Serializer):
    recommendations = RecommendationSerializer(many=True)
    directives = DirectiveSerializer(many=True)


def _access(request, student_id: int, *, directing: bool = False):
    """Adults who look after the student; for pins and vetoes, their teachers and admins. 404 otherwise."""
    access = student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)
    allowed = selectors.may_direct(access) if directing else access.is_staff
    if not allowed:
        raise Http404("No such student.")
    return access


class _StudentApi(SchoolScopedAPIMixin, APIView):
    """Finds the student (404) before the method is checked, so another school's id is never a 405."""

    directing = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.access = _access(request, kwargs["student_id"], directing=self.directing)


@audits(AuditEntry.Kind.NEXT_UP)
class StudentNextUpApi(_StudentApi):
    """The engine's ranked Next up for a student, with the reasons, and the pins and vetoes on record."""

    @extend_schema(responses=NextUpSerializer)
    def get(self, request, school_slug: str, student_id: int):
        access = self.access
        return Response(
            NextUpSerializer(
                {
                    "recommendations": selectors.recommendations_for(student=access.student),
                    "directives": selectors.directives_for(student=access.student),
                }
            ).data
        )


@audits(AuditEntry.Kind.NEXT_UP)
class DirectiveCreateApi(_StudentApi):
    """A teacher pins an item for the student or vetoes it, with a reason."""

    directing = True

    @extend_schema(request=DirectiveInputSerializer, responses={201: DirectiveSerializer})
    def post(self, request, school_slug: str, student_id: int):
        access = self.access
        data = DirectiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = ContentItem.objects.filter(pk=data.validated_data["item"]).first()
        if item is None:
            raise exceptions.ValidationError({"item": "No such item in this school."})
        try:
            directive = services.directive_add(
                student=access.student,
                item=item,
                kind=data.validated_data["kind"],
                reason=data.validated_data["reason"],
                by=request.user,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(DirectiveSerializer(directive).data, status=status.HTTP_201_CREATED)


@audits(AuditEntry.Kind.NEXT_UP)
class DirectiveEndApi(_StudentApi):
    """End a pin or veto (it stays on record with its reason)."""

    directing = True

    @extend_schema(request=None, responses=DirectiveSerializer)
    def post(self, request, school_slug: str, student_id: int, directive_id: int):
        directive = selectors.directive_get(student=self.access.student, directive_id=directive_id)
        return Response(
            DirectiveSerializer(services.directive_end(directive=directive, by=request.user)).data
        )
