from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.forms import StaffSignInForm
from accounts.lockout import lockout_clear
from accounts.models import User

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
    actions = ["unlock_sign_in"]
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
