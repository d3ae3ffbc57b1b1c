"""Every kind of data PLP holds about a student, in one list: what the export writes and the erasure removes.

A model with a foreign key to a person must appear here (reached through ``path``) or, for a key that names
an adult acting on the record (a mentor, a scorer), in ``NOT_THE_STUDENT`` with the reason.
``tests/privacy/test_registry.py`` enumerates the project's models and fails on any key left out, so a new
student-owned model cannot be forgotten by the export or the erasure.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class StudentData:
    name: str  # the file name in the export
    model: str  # app_label.ModelName
    path: str  # the lookup from the model to the student
    evidence: bool = False  # learning evidence: deleted, or summed anonymously first (per school)
    erase: bool = True  # removed on erasure (the audit trail is not: the log is append-only)
    about: str = ""
    omit: tuple[str, ...] = ()  # columns never exported: live credentials (a calendar feed's token)
    blob: str = ""  # a column naming a stored file (submissions storage): the export includes the file

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def direct(self) -> bool:
        """A top-level row: deleting it cascades to the rows reached through it."""
        return "__" not in self.path


REGISTRY: tuple[StudentData, ...] = (
    StudentData("memberships", "schools.Membership", "user", about="Roles in this school."),
    StudentData("sections", "schools.Enrollment", "user", about="Section enrolments."),
    StudentData("roster_identity", "schools.RosterPerson", "user", about="OneRoster sourcedId and grades."),
    StudentData("invitations", "schools.Invitation", "user", about="Invitations to set a password."),
    StudentData("profile", "learners.StudentProfile", "student", about="Learner profile."),
    StudentData("profile_changes", "learners.ProfileChange", "profile__student", about="Profile history."),
    StudentData("learning_plans", "learners.LearningPlan", "student", about="Personal learning plans."),
    StudentData("plan_focuses", "learners.PlanFocus", "plan__student", about="Plan focus areas."),
    StudentData("mentor_assignments", "schools.MentorAssignment", "student", about="Their mentors."),
    StudentData("goals", "mentoring.Goal", "student", about="Weekly and long-range goals."),
    StudentData("goal_changes", "mentoring.GoalChange", "goal__student", about="Goal history."),
    StudentData("check_ins", "mentoring.CheckIn", "student", about="Check-ins, private notes included."),
    StudentData("check_in_changes", "mentoring.CheckInChange", "check_in__student", about="Check-in edits."),
    StudentData("check_in_goal_reviews", "mentoring.CheckInGoalReview", "check_in__student"),
    StudentData("playlist_assignments", "playlists.PlaylistAssignment", "student", evidence=True),
    StudentData("item_progress", "playlists.ItemProgress", "student", evidence=True),
    StudentData("milestone_submissions", "playlists.MilestoneSubmission", "student", evidence=True),
    StudentData("rubric_scores", "playlists.RubricScore", "student", evidence=True),
    StudentData(
        "submitted_files",
        "submissions.SubmissionFile",
        "student",
        evidence=True,
        blob="blob",
        about="Files handed in for milestones and items (in files/; erasure deletes the stored files too).",
    ),
    StudentData("mastery_states", "mastery.MasteryState", "student", evidence=True),
    StudentData("practice_answers", "mastery.PracticeAnswer", "student", evidence=True),
    StudentData("checks", "mastery.CheckAttempt", "student", evidence=True),
    StudentData("check_responses", "mastery.CheckResponse", "attempt__student", evidence=True),
    StudentData("mastery_ledger", "mastery.EvidenceEvent", "student", evidence=True),
    StudentData("flags", "engine.Flag", "student", evidence=True),
    StudentData("flag_events", "engine.FlagEvent", "flag__student", evidence=True),
    StudentData("recommendations", "engine.StudentRecommendation", "student", evidence=True),
    StudentData("pins_and_vetoes", "engine.ItemDirective", "student", evidence=True),
    StudentData("engine_state", "engine.StudentEngineState", "student", evidence=True),
    StudentData(
        "policy_what_ifs", "engine.SandboxChange", "student", about="How a what-if would have changed them."
    ),
    StudentData("self_direction_level", "agency.StudentLevel", "student", about="Self-direction level."),
    StudentData("level_decisions", "agency.LevelDecision", "student", about="Level changes, who and why."),
    StudentData(
        "workshop_seats", "workshops.Seat", "student", evidence=True, about="Workshops and attendance."
    ),
    StudentData(
        "calendar_feeds",
        "workshops.CalendarFeed",
        "user",
        omit=("token",),
        about="Calendar addresses (no key).",
    ),
    StudentData(
        "lms_links", "lti.LtiUserLink", "user", about="The LMS user ids PLP knows this person by (LTI)."
    ),
    StudentData(
        "lms_scores", "lti.LtiScoreSent", "student", evidence=True, about="Mastery sent to LMS gradebooks."
    ),
    StudentData(
        "tool_ids",
        "lti_platform.ToolSubject",
        "user",
        about="The opaque ids external LTI tools know this person by (never their name or email).",
    ),
    StudentData("tool_launches", "lti_platform.ToolLaunch", "student", about="External tools opened."),
    StudentData(
        "tool_scores", "lti_platform.ToolScore", "student", evidence=True, about="Scores external tools sent."
    ),
    StudentData(
        "xapi_statements",
        "xapi.OutboxStatement",
        "student",
        about="Learning events queued for, or recently sent to, the school's learning record store.",
    ),
    StudentData("departures", "privacy.Departure", "student"),
    StudentData("parental_consent", "privacy.ParentalConsent", "student"),
    StudentData("audit_trail", "audit.AuditEntry", "student", erase=False, about="Who read this record."),
)

# Keys to a person that name an adult acting on a record (or a global account), never the record's student.
NOT_THE_STUDENT: dict[tuple[str, str], str] = {
    ("schools.OrganizationAdmin", "user"): "district admins are adults, not students",
    ("schools.Organization", "admins"): "the district admins again (through OrganizationAdmin)",
    ("schools.ImportRun", "created_by"): "the admin who imported a roster",
    ("schools.Invitation", "sent_by"): "the admin who sent the invitation",
    (
        "lti.LtiContext",
        "launched_by",
    ): "the teacher last launched from an LMS course (may preview its roster)",
    ("learners.ProfileChange", "changed_by"): "who edited; the student's changes go with their profile",
    ("playlists.ContentItem", "created_by"): "the author of an item",
    ("playlists.Playlist", "created_by"): "the author of a playlist",
    ("playlists.Project", "created_by"): "the teacher who set a project",
    ("playlists.PlaylistAssignment", "assigned_by"): "the teacher who assigned",
    ("playlists.RubricScore", "scored_by"): "the teacher who scored",
    ("mastery.CheckAttempt", "approved_by"): "the teacher who approved the check",
    ("mastery.CheckAttempt", "invalidated_by"): "the teacher who invalidated the check",
    ("mastery.EvidenceEvent", "actor"): "the adult behind an override or unlock",
    ("schools.MentorAssignment", "mentor"): "the mentor",
    ("schools.MentorAssignment", "assigned_by"): "the admin who assigned the mentor",
    ("mentoring.Goal", "created_by"): "who wrote the goal (the student's goals go by 'student')",
    ("mentoring.GoalChange", "changed_by"): "who changed a goal",
    ("mentoring.CheckIn", "mentor"): "the mentor who held the check-in",
    ("mentoring.CheckInChange", "changed_by"): "who edited the check-in",
    ("engine.Flag", "handled_by"): "the adult who acknowledged or resolved the flag",
    ("engine.FlagEvent", "by"): "the adult who acted on the flag",
    ("engine.ItemDirective", "created_by"): "the teacher who pinned or vetoed",
    ("engine.ItemDirective", "ended_by"): "the teacher who ended a pin or veto",
    ("engine.SandboxRun", "created_by"): "the adult who ran a policy what-if",
    ("engine.SandboxRun", "applied_by"): "the school admin who applied a what-if's change",
    ("privacy.ParentalConsent", "recorded_by"): "the admin who recorded consent",
    ("privacy.Erasure", "erased_by"): "the admin who erased",
    ("audit.AuditEntry", "actor"): "the reader; the student's trail goes by 'student'",
    (
        "accounts.ApiToken",
        "user",
    ): "an API credential: revoked, deleted on pseudonymization",
    ("workshops.Workshop", "teacher"): "the teacher who runs a workshop",
    ("workshops.Workshop", "created_by"): "the teacher who scheduled a workshop",
    ("workshops.Seat", "recorded_by"): "the teacher who recorded attendance",
    ("agency.LadderSettings", "updated_by"): "the admin who edited the school's ladder",
    ("agency.LevelDecision", "decided_by"): "the mentor or teacher who decided a level",
}

# Apps whose models are not student data at all (Django's own tables; the account itself is handled by
# the erasure's pseudonymization step).
IGNORED_APPS = frozenset({"admin", "auth", "contenttypes", "sessions"})


def registry_entry(name: str) -> StudentData:
    return next(entry for entry in REGISTRY if entry.name == name)
