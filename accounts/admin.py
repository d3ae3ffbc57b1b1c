from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.forms import StaffSignInForm
from accounts.lockout import lockout_clear
from accounts.models import ApiToken, User
from accounts.services import api_token_revoke, sign_out_everywhere
from plp.admin_tools import ReadOnlyAdminMixin

admin.site.login_form = StaffSignInForm  # the lockout guards the platform's most powerful accounts too


class PlpUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "given_name", "family_name")


class PlpUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PlpUserChangeForm
    add_form = PlpUserCreationForm
    ordering = ("email",)
    list_display = ("email", "given_name", "family_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "username", "given_name", "family_name")
    actions = ["unlock_sign_in", "sign_out_everywhere"]
    fieldsets = (
        (None, {"fields": ("email", "username", "password")}),
        ("Name", {"fields": ("given_name", "family_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "given_name", "family_name", "password1", "password2"),
            },
        ),
    )

    @admin.action(description="Unlock sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for user_id in ids:
            lockout_clear(user_id=user_id)
        self.message_user(request, f"Sign-in unlocked for {len(ids)} people.", messages.SUCCESS)

    @admin.action(description="Sign out everywhere (ends every session, revokes every API token)")
    def sign_out_everywhere(self, request, queryset):
        users = list(queryset)
        for user in users:
            sign_out_everywhere(user=user, reason=ApiToken.Ended.ADMIN)
        self.message_user(request, f"{len(users)} people signed out everywhere.", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read and revoke; keys are issued by their owners only (the token endpoint, the account page)."""

    list_display = (
        "client_name",
        "user",
        "school",
        "key_prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_reason",)
    search_fields = ("client_name", "user__email", "key_prefix")
    list_select_related = ("user", "school")
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    @admin.action(description="Revoke")
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at=None))
        for token in tokens:
            api_token_revoke(token=token, reason=ApiToken.Ended.ADMIN)
        self.message_user(request, f"{len(tokens)} tokens revoked.", messages.SUCCESS)
