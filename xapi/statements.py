"""xAPI 1.0.3 statements from PLP's learning events: pure Python, no Django.

Who: the student as an account on the school's PLP address (``homePage``) with an opaque name (an HMAC of
the user id under the school's own salt: stable, meaningless outside the school, not reversible without the
salt). A school may opt in to identify students by email instead (``mbox``), e.g. when its LRS joins PLP's
statements with another tool's. Exactly one identifier is sent, as the spec requires.

What: verbs from the ADL vocabulary (https://adlnet.gov/expapi/verbs/...): ``completed`` (an item marked
done), ``answered`` (a practice question), ``passed``/``failed`` (a mastery check), ``mastered`` (a
competency's mastery gained). Mastery withdrawn (a check invalidated, a teacher's override) voids the last
``mastered`` statement (the spec's way to take one back) instead of inventing a verb.

Objects are activities under the deployment's address: ``<school>/xapi/activities/<kind>/<id>``.
Statement ids are UUID5s of the event, so sending a batch again never creates a second copy in the LRS.
"""

import hmac
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256

VERSION = "1.0.3"
# The namespace of every statement id PLP makes (uuid5 of the event's key under it).
NAMESPACE = uuid.UUID("7d1c2c55-5a0e-5f7a-9b3e-9b1f3f0c9a10")

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

COMPLETED, ANSWERED, PASSED, FAILED, MASTERED, VOIDED = (
    "completed",
    "answered",
    "passed",
    "failed",
    "mastered",
    "voided",
)
VERBS = (COMPLETED, ANSWERED, PASSED, FAILED, MASTERED, VOIDED)

# ContentItem.kind → ADL activity type of the item.
ITEM_TYPES = {
    "reading": "lesson",
    "video": "media",
    "link": "link",
    "exercise": "interaction",
}


def statement_id(*, school_id: int, key: str) -> uuid.UUID:
    """The statement's id: the same event always gives the same id (the LRS keeps one copy)."""
    return uuid.uuid5(NAMESPACE, f"plp:{school_id}:{key}")


def opaque_name(*, salt: str, user_id: int) -> str:
    """The student's account name in the LRS: stable per school, no email, no database id."""
    return hmac.new(salt.encode(), f"user:{user_id}".encode(), sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Student:
    user_id: int
    email: str = ""
    name: str = ""


@dataclass(frozen=True)
class Activity:
    id: str
    type: str  # an ADL activity type's last segment (lesson, objective, assessment...); "" for none
    name: str

    def as_xapi(self) -> dict:
        definition = {"name": {"en-US": self.name[:250] or self.id}}
        if self.type:
            definition["type"] = ADL_ACTIVITIES + self.type
        return {"objectType": "Activity", "id": self.id, "definition": definition}


@dataclass(frozen=True)
class School:
    home_page: str  # the school's PLP address, ending in "/"
    name: str
    salt: str
    identify_by_email: bool = False

    def activity(self, kind: str, pk: int | str, *, type: str, name: str) -> Activity:
        return Activity(id=f"{self.home_page}xapi/activities/{kind}/{pk}", type=type, name=name)


@dataclass(frozen=True)
class Event:
    """One row of the outbox, with what the worker loaded for it."""

    id: uuid.UUID
    verb: str
    timestamp: datetime
    student: Student
    object: Activity | None = None
    parent: Activity | None = None  # the competency a question or check belongs to
    sections: tuple[Activity, ...] = ()
    result: dict = field(default_factory=dict)
    registration: uuid.UUID | None = None  # one check attempt
    voids: uuid.UUID | None = None  # the statement a "voided" statement takes back


def actor(school: School, student: Student) -> dict:
    if school.identify_by_email and student.email:
        agent = {"objectType": "Agent", "mbox": f"mailto:{student.email}"}
        if student.name:
            agent["name"] = student.name
        return agent
    return {
        "objectType": "Agent",
        "account": {
            "homePage": school.home_page,
            "name": opaque_name(salt=school.salt, user_id=student.user_id),
        },
    }


def result_for(verb: str, data: dict) -> dict | None:
    """The statement's result, where the event has one (score, success, completion, duration)."""
    if verb == COMPLETED:
        result = {"completion": True}
        if data.get("seconds"):
            result["duration"] = f"PT{int(data['seconds'])}S"
        return result
    if verb == ANSWERED:
        correct = bool(data.get("correct"))
        return {"success": correct, "score": {"scaled": 1.0 if correct else 0.0}}
    if verb in (PASSED, FAILED):
        total = int(data.get("total") or 0)
        raw = int(data.get("correct") or 0)
        result = {"success": verb == PASSED, "completion": True}
        if total:
            result["score"] = {"raw": raw, "min": 0, "max": total, "scaled": round(raw / total, 4)}
        return result
    if verb == MASTERED:
        return {"success": True, "completion": True}
    return None


def statement(school: School, event: Event) -> dict:
    """The xAPI 1.0.3 statement of ``event`` (a dict ready for JSON)."""
    body: dict = {
        "id": str(event.id),
        "actor": actor(school, event.student),
        "verb": {"id": ADL_VERBS + event.verb, "display": {"en-US": event.verb}},
        "timestamp": event.timestamp.isoformat(),
        "version": VERSION,
    }
    if event.verb == VOIDED:
        body["object"] = {"objectType": "StatementRef", "id": str(event.voids)}
        return body  # a voiding statement carries nothing else
    body["object"] = event.object.as_xapi()
    result = result_for(event.verb, event.result)
    if result:
        body["result"] = result
    school_activity = Activity(id=school.home_page, type="", name=school.name)  # ADL has no "school"
    context: dict = {
        "platform": "PLP",
        "language": "en-US",
        "contextActivities": {
            "grouping": [school_activity.as_xapi()] + [section.as_xapi() for section in event.sections]
        },
    }
    if event.parent is not None:
        context["contextActivities"]["parent"] = [event.parent.as_xapi()]
    if event.registration is not None:
        context["registration"] = str(event.registration)
    body["context"] = context
    return body
