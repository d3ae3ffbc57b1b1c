"""How an app low in the app layers (README, "App layers") calls one above it: the app above registers its
one handler from its ``ready``, the apps below call through the port. A dependency inversion, not a signal:
exactly one handler, and a call before it registered raises (``ImproperlyConfigured``) instead of losing an
event or letting everything through."""

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

H = TypeVar("H")


class Port(Generic[H]):
    """The one handler of a port; ``missing`` says what to install when a call comes before it."""

    def __init__(self, missing: str):
        self._handler: H | None = None
        self._missing = missing

    def register(self, handler: H) -> None:
        self._handler = handler

    @property
    def handler(self) -> H:
        if self._handler is None:
            raise ImproperlyConfigured(self._missing)
        return self._handler
