"""Why an LTI launch was refused, in words a student or teacher can act on (pure: no Django)."""

from plp.refusals import Refused, refusal_texts

MESSAGES = {
    "invalid": (
        "This launch from {lms} could not be trusted",
        "Its signature or its details did not check out ({detail}), so nobody was signed in. Open PLP "
        "again from your course; if it keeps happening, tell {school}'s admin.",
    ),
    "replayed": (
        "This launch was already used",
        "Each launch from {lms} works once. Open PLP again from your course.",
    ),
    "expired": (
        "This launch has expired",
        "The launch from {lms} is too old to use. Open PLP again from your course.",
    ),
    "deployment": (
        "PLP is not set up for this course's school",
        "{lms} launched PLP from an install (deployment {detail}) that {school} has not registered. Ask "
        "{school}'s admin to add it on PLP's LTI page.",
    ),
    "no_match": (
        "We could not find you at {school}",
        "{lms} says you are {who}, and {school} has nobody like that. Ask your school's admin to add you "
        "to PLP (the roster import), then open PLP again from your course.",
    ),
    "no_identity": (
        "Your LMS did not say who you are",
        "The launch from {lms} did not carry the {what} that {school} uses to find you. Ask your "
        "school's admin to have the LMS share it with PLP.",
    ),
    "inactive": (
        "Your account at {school} is not active",
        "Ask your school's office or a teacher to turn it back on.",
    ),
    "state": (
        "This launch did not start in this browser",
        "Launches work once, in the browser that started them (cookies must be allowed for PLP). Open "
        "PLP again from your course.",
    ),
    "disabled": (
        "{lms} is switched off at {school}",
        "{school}'s admin has turned off launches from {lms}. Ask them to turn it back on.",
    ),
}


class LtiRefused(Refused):
    """A launch that must not sign anyone in; ``reason`` is a key of MESSAGES."""


# The heading and the explanation of a refusal; a blank the context leaves empty reads as these.
refusal_text = refusal_texts(
    MESSAGES,
    defaults={"school": "your school", "lms": "your LMS", "who": "someone", "what": "", "detail": ""},
)
