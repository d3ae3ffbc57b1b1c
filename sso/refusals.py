"""Why a single sign-on was refused, in words a student or teacher can act on (pure: no Django)."""

from plp.refusals import Refused, refusal_texts

MESSAGES = {
    "inactive": (
        "Your account at {school} is not active",
        "Your school account signed you in, but your place at {school} is switched off. Ask your "
        "school's office or a teacher to turn it back on.",
    ),
    "no_match": (
        "We could not find you at {school}",
        "Your school account ({who}) is not on {school}'s list of people. Check that you signed in with "
        "the account your school gave you, or ask your school's admin to add you.",
    ),
    "wrong_domain": (
        "That account is not one of {school}'s",
        "{school} takes school accounts ending in {domains}; you signed in as {who}. Sign out of that "
        "account at your provider and sign in with your school account.",
    ),
    "no_identity": (
        "Your school account did not say who you are",
        "The sign-in service did not send the {what} that {school} uses to find you. Ask your school's "
        "admin to check the sign-in settings.",
    ),
    "state": (
        "This sign-in has expired or was already used",
        "Sign-in links work once, in the browser that started them. Start again from {school}'s "
        "sign-in page.",
    ),
    "invalid": (
        "The answer from your sign-in service could not be trusted",
        "Its signature or its details did not check out, so nobody was signed in. Start again from "
        "{school}'s sign-in page; if it keeps happening, tell your school's admin.",
    ),
    "replayed": (
        "This sign-in was already used",
        "The same answer from your sign-in service came back a second time, so it was refused. Start "
        "again from {school}'s sign-in page.",
    ),
    "provider_error": (
        "Your sign-in service did not sign you in",
        "It answered: “{detail}”. Start again from {school}'s sign-in page.",
    ),
    "misconfigured": (
        "Signing in with this service is not set up correctly",
        "Ask {school}'s admin to check its single sign-on settings ({detail}).",
    ),
}


class SsoRefused(Refused):
    """A sign-in that must not happen; ``reason`` is a key of MESSAGES, ``context`` fills its blanks."""


# The heading and the explanation of a refusal; a blank the context leaves empty reads as these.
refusal_text = refusal_texts(
    MESSAGES,
    defaults={"school": "your school", "who": "that account", "domains": "", "what": "", "detail": ""},
)
