"""People: one account per person (sign in by email or roster username), whatever roles they hold in whichever
schools."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac


def normalize_email_address(email: str) -> str:
    """Emails are compared case-insensitively everywhere, so they are stored lower-cased."""
    return (email or "").strip().lower()


def normalize_username(username: str | None) -> str | None:
    """Usernames, like emails, are compared case-insensitively, so they are stored lower-cased; an empty one
    is stored as NULL (many people have none, and NULLs do not collide in the unique index)."""
    return (username or "").strip().lower() or None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        """What a person types to sign in: their email or, for people without one, their roster username.
        An email wins over a username that happens to read the same."""
        user = self.filter(email=normalize_email_address(username)).first()
        if user is None and normalize_username(username):
            user = self.filter(username=normalize_username(username)).first()
        if user is None:
            raise self.model.DoesNotExist
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email_address(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    username = models.CharField(
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        help_text="Signs in without an email (OneRoster username); unique, case-insensitive.",
    )
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "platform staff", default=False, help_text="Can log into the Django admin (every school)."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    session_epoch = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised to end every session of the person at once (sign out everywhere, deactivation).",
    )

    class SignedOut(models.TextChoices):
        """Why an adult ended the person's sessions, for the message their signed-out browser gets."""

        ADMIN = "admin", "Signed out by an administrator"
        DEACTIVATED = "deactivated", "Access deactivated"
        PASSWORD = "password", "Password set by an administrator"
        SELF = "self", "Signed out everywhere or a new password, by the person"

    signed_out_why = models.CharField(max_length=20, choices=SignedOut.choices, blank=True, editable=False)
    signed_out_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["family_name", "given_name", "email"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="user_email_is_lowercase"),
            models.CheckConstraint(
                condition=models.Q(username=Lower("username")), name="user_username_is_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email_address(self.email)
        self.username = normalize_username(self.username)

    def _get_session_auth_hash(self, secret=None):
        """What each session of the person stores at sign-in and Django's AuthenticationMiddleware compares
        on every request (a mismatch flushes the session): Django's HMAC of the password hash, plus the
        session epoch. So a new password, or a raised epoch ("sign out everywhere", a deactivated
        membership), ends every session on any session backend, without finding the sessions. Epoch 0 gives
        Django's own value, so sessions from before the epoch existed stay valid."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "plp.accounts.models.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    # Moved only by an UPDATE (accounts.services), never written back by a full save of an older copy.
    WRITTEN_BY_UPDATE = frozenset({"session_epoch", "signed_out_why", "signed_out_at"})

    def save(self, *args, **kwargs):
        """A new password (set_password: the page, a reset link, the admin) revokes every API token of the
        person, as it ends their other sessions. A hash upgraded at sign-in is not a new password (Django
        saves it with ``_password`` cleared)."""
        password_changed = self._password is not None and self.pk is not None
        if not self._state.adding and kwargs.get("update_fields") is None:
            # The epoch moves only by an UPDATE … + 1 (accounts.services): a full save of a copy loaded
            # before a "sign out everywhere" must not write the old epoch back and revive those sessions.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.WRITTEN_BY_UPDATE
            ]
        super().save(*args, **kwargs)
        if password_changed:
            from accounts.services import api_tokens_revoke

            api_tokens_revoke(user=self, reason=ApiToken.Ended.PASSWORD_CHANGED)

    def get_full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def picker_label(self) -> str:
        """How a person is named where an adult picks one from a list: two people may share a name, so the
        email (unique) goes beside it. Every picker of people uses this one label."""
        name = self.get_full_name()
        return f"{name} ({self.email})" if name else self.email

    def get_short_name(self) -> str:
        return self.given_name or self.email


class ApiToken(models.Model):
    """A key a program sends as ``Authorization: Token <key>``: one per client (a named script, an app),
    expiring, revocable. Only a SHA-256 of the key is stored (the key is 256 random bits, so a plain hash is
    enough; a slow hash would cost every API request), and the key is shown once, when issued. A token may
    be bound to one school: it then reaches that school's routes only."""

    class Ended(models.TextChoices):
        REVOKED = "revoked", "Revoked by its owner"
        REPLACED = "replaced", "Replaced by a new token for the same client"
        ADMIN = "admin", "Revoked by a school admin"
        SIGN_OUT = "sign_out", "Signed out everywhere"
        PASSWORD_CHANGED = "password", "The password changed"
        DEACTIVATED = "deactivated", "The membership was deactivated"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="When set, the token reaches this school's routes only.",
    )
    client_name = models.CharField(max_length=100, help_text="What uses the token: a script, an app.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(max_length=12, editable=False, help_text="The key's first characters.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=20, choices=Ended.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.client_name} ({self.key_prefix}…) of user {self.user_id}"

    def is_live(self, *, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_live() else "expired"
