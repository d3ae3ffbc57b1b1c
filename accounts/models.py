"""People: one account per person (sign in by email or roster username), whatever roles they hold in whichever
schools."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


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
