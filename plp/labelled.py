"""String enums whose members carry the words people read for them, for the pure rule modules (which
cannot use Django's ``TextChoices``). Pure: no Django."""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """Members are written ``NAME = "value", "What people read"``: the member is the string ``value`` (it
    compares, stores and serialises as one), and ``member.label`` is the text."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs in declaration order, for a model or form field's ``choices``."""
        return [(member.value, member.label) for member in cls]
