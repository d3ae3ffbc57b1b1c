"""The HTTP side of a learning record store (xAPI 1.0.3 statements resource): the outside world."""

from dataclasses import dataclass

import requests

from plp import outbound

TIMEOUT = (5, 20)  # connect, read (seconds): a worker never hangs on a dead LRS
HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


@dataclass
class LrsError(Exception):
    """The LRS did not take the statements: ``status`` is its HTTP status (None: unreachable)."""

    message: str
    status: int | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def rejected(self) -> bool:
        """The LRS refused the content itself (a retry of the same statements fails the same way): 400 in
        the spec; Ralph (FastAPI) answers 422 to a statement its models refuse."""
        return self.status in (400, 422)

    @property
    def conflict(self) -> bool:
        """A statement with this id is already there with other content (spec: 409)."""
        return self.status == 409


def _explain(response: requests.Response) -> LrsError:
    status = response.status_code
    body = response.text[:300].strip()
    if status == 401:
        return LrsError("The LRS refused the key and secret (401 Unauthorized).", status)
    if status == 403:
        return LrsError("The LRS accepted the key but does not let it write statements (403).", status)
    if status == 404:
        return LrsError("No xAPI statements resource at this endpoint (404): check the address.", status)
    return LrsError(f"The LRS answered {status}: {body or response.reason}", status)


def post_statements(*, url: str, key: str, secret: str, statements: list[dict]) -> None:
    """POST a list of statements; returns when the LRS stored them (200, or 204: all already there)."""
    try:
        response = outbound.session().post(
            url, json=statements, auth=(key, secret), headers=HEADERS, timeout=TIMEOUT
        )
    except outbound.OutboundRefused as error:
        raise LrsError(f"PLP does not send statements there: {error}") from error
    except requests.RequestException as error:
        raise LrsError(f"The LRS could not be reached: {type(error).__name__}.") from error
    if response.status_code not in (200, 204):
        raise _explain(response)


def probe(*, url: str, key: str, secret: str) -> str:
    """Check the address and the credentials with a read of one statement; what happened, in words."""
    try:
        response = outbound.session().get(
            url, params={"limit": 1}, auth=(key, secret), headers=HEADERS, timeout=TIMEOUT
        )
    except outbound.OutboundRefused as error:
        raise LrsError(f"PLP does not connect there: {error}") from error
    except requests.RequestException as error:
        raise LrsError(f"The LRS could not be reached: {type(error).__name__}.") from error
    if response.status_code == 200:
        return "Connected: the LRS accepted the key and secret."
    if response.status_code == 403:
        return "Connected: the key is accepted (it may write statements but not read them)."
    raise _explain(response)
