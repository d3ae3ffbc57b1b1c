"""factory-boy factories. Related objects are always built in the same school as their parent."""

import datetime as dt

import factory
from django.contrib.auth.hashers import identify_hasher, make_password
from factory.django import DjangoModelFactory

from accounts.models import User
from learners.models import Career, LearningPlan, PlanFocus, StudentProfile
from mastery.models import MasteryPolicy, Question, QuestionBank
from mentoring.models import CheckIn, CheckInChange, Goal
from playlists.models import (
    ChoiceBoard,
    Competency,
    CompetencyPrerequisite,
    ContentItem,
    Framework,
    ItemProgress,
    Milestone,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
    Project,
    RubricDimension,
    Subject,
)
from plp.tenancy.context import school_scope
from schools.models import (
    Enrollment,
    Membership,
    MentorAssignment,
    Organization,
    OrganizationAdmin,
    School,
    Section,
    Term,
)
from schools.roles import Role

TEST_PASSWORD = "correct horse battery staple"


def identify_hasher_or_none(encoded: str):
    try:
        return identify_hasher(encoded)
    except ValueError:
        return None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    # The hash goes in with the first INSERT (hashed by the test's hasher: MD5, tests/conftest.py): no second
    # save, which would count as a password change and revoke the person's API tokens.
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))

    @classmethod
    def _create(cls, model_class, *args, password=None, **kwargs):
        # UserFactory(password="plain") signs in with it; password=None gives an unusable password.
        if password is None or (not password.startswith("!") and identify_hasher_or_none(password) is None):
            password = make_password(password)
        return super()._create(model_class, *args, password=password, **kwargs)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


class OrganizationAdminFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationAdmin

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("slug",)

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    timezone = "America/Chicago"


class SchoolOwnedFactory(DjangoModelFactory):
    """Creates the row inside its own school's scope, as a service would."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with school_scope(kwargs["school"]):
            return super()._create(model_class, *args, **kwargs)


class MembershipFactory(SchoolOwnedFactory):
    class Meta:
        model = Membership

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.STUDENT


class TermFactory(SchoolOwnedFactory):
    class Meta:
        model = Term

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Term {n}")
    start_date = dt.date(2026, 8, 17)
    end_date = dt.date(2027, 6, 11)


class SectionFactory(SchoolOwnedFactory):
    class Meta:
        model = Section

    school = factory.SubFactory(SchoolFactory)
    term = factory.SubFactory(TermFactory, school=factory.SelfAttribute("..school"))
    name = factory.Sequence(lambda n: f"Section {n}")
    code = factory.Sequence(lambda n: f"SEC-{n}")
    subject = "Mathematics"


class EnrollmentFactory(SchoolOwnedFactory):
    class Meta:
        model = Enrollment

    section = factory.SubFactory(SectionFactory)
    school = factory.SelfAttribute("section.school")
    user = factory.SubFactory(UserFactory)
    role = Enrollment.SectionRole.STUDENT


class MentorAssignmentFactory(SchoolOwnedFactory):
    class Meta:
        model = MentorAssignment

    school = factory.SubFactory(SchoolFactory)
    mentor = factory.SubFactory(UserFactory)
    student = factory.SubFactory(UserFactory)
    is_primary = True


class SubjectFactory(SchoolOwnedFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = "Mathematics"


class FrameworkFactory(SchoolOwnedFactory):
    class Meta:
        model = Framework

    school = factory.SubFactory(SchoolFactory)
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    title = factory.Sequence(lambda n: f"Framework {n}")


class CompetencyFactory(SchoolOwnedFactory):
    class Meta:
        model = Competency

    framework = factory.SubFactory(FrameworkFactory)
    school = factory.SelfAttribute("framework.school")
    subject = factory.SelfAttribute("framework.subject")
    code = factory.Sequence(lambda n: f"C.{n}")
    title = factory.Sequence(lambda n: f"Competency {n}")


class CompetencyPrerequisiteFactory(SchoolOwnedFactory):
    class Meta:
        model = CompetencyPrerequisite

    competency = factory.SubFactory(CompetencyFactory)
    school = factory.SelfAttribute("competency.school")
    prerequisite = factory.SubFactory(
        CompetencyFactory, framework=factory.SelfAttribute("..competency.framework")
    )


class ContentItemFactory(SchoolOwnedFactory):
    class Meta:
        model = ContentItem

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = ContentItem.Kind.READING
    body = "Read this **carefully**."
    estimated_minutes = 10


class PlaylistFactory(SchoolOwnedFactory):
    class Meta:
        model = Playlist

    school = factory.SubFactory(SchoolFactory)
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    title = factory.Sequence(lambda n: f"Playlist {n}")
    focus_area = "Ratios"


class ChoiceBoardFactory(SchoolOwnedFactory):
    class Meta:
        model = ChoiceBoard

    playlist = factory.SubFactory(PlaylistFactory)
    school = factory.SelfAttribute("playlist.school")
    label = factory.Sequence(lambda n: f"Board {n}")
    choose = 2


class PlaylistItemFactory(SchoolOwnedFactory):
    class Meta:
        model = PlaylistItem

    playlist = factory.SubFactory(PlaylistFactory)
    school = factory.SelfAttribute("playlist.school")
    item = factory.SubFactory(ContentItemFactory, school=factory.SelfAttribute("..school"))
    position = factory.Sequence(lambda n: n + 1)
    required = True


class PlaylistAssignmentFactory(SchoolOwnedFactory):
    class Meta:
        model = PlaylistAssignment

    playlist = factory.SubFactory(PlaylistFactory)
    school = factory.SelfAttribute("playlist.school")
    start_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=7))
    target_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=21))


class ItemProgressFactory(SchoolOwnedFactory):
    class Meta:
        model = ItemProgress

    item = factory.SubFactory(ContentItemFactory)
    school = factory.SelfAttribute("item.school")
    student = factory.SubFactory(UserFactory)
    status = ItemProgress.Status.DONE


class ProjectFactory(SchoolOwnedFactory):
    class Meta:
        model = Project

    section = factory.SubFactory(SectionFactory)
    school = factory.SelfAttribute("section.school")
    title = factory.Sequence(lambda n: f"Project {n}")
    driving_question = "How can we design a fair school lunch budget?"


class MilestoneFactory(SchoolOwnedFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    school = factory.SelfAttribute("project.school")
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=10))


class RubricDimensionFactory(SchoolOwnedFactory):
    class Meta:
        model = RubricDimension

    project = factory.SubFactory(ProjectFactory)
    school = factory.SelfAttribute("project.school")
    name = factory.Sequence(lambda n: f"Argument {n}")
    level_1 = "States a claim"
    level_2 = "Supports the claim"
    level_3 = "Supports it with evidence"
    level_4 = "Weighs counter-claims"


class QuestionBankFactory(SchoolOwnedFactory):
    class Meta:
        model = QuestionBank

    competency = factory.SubFactory(CompetencyFactory)
    school = factory.SelfAttribute("competency.school")
    title = factory.Sequence(lambda n: f"Bank {n}")


class QuestionFactory(SchoolOwnedFactory):
    """A single-choice question whose correct choice is index 1 (text "right")."""

    class Meta:
        model = Question

    bank = factory.SubFactory(QuestionBankFactory)
    school = factory.SelfAttribute("bank.school")
    kind = Question.Kind.SINGLE
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    choices = factory.LazyFunction(lambda: ["wrong", "right", "also wrong"])
    correct_choices = factory.LazyFunction(lambda: [1])
    explanation = "Because the second choice is right."


class MasteryPolicyFactory(SchoolOwnedFactory):
    class Meta:
        model = MasteryPolicy

    competency = factory.SubFactory(CompetencyFactory)
    school = factory.SelfAttribute("competency.school")


# --- learners and mentoring (issue 3) ---


class StudentProfileFactory(SchoolOwnedFactory):
    class Meta:
        model = StudentProfile

    school = factory.SubFactory(SchoolFactory)
    student = factory.SubFactory(UserFactory)
    interests = factory.LazyFunction(lambda: ["robots", "music"])


class CareerFactory(SchoolOwnedFactory):
    class Meta:
        model = Career

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Career {n}")
    interest_tags = factory.LazyFunction(lambda: ["robots"])
    needed_courses = factory.LazyFunction(lambda: ["Algebra I"])


class LearningPlanFactory(SchoolOwnedFactory):
    class Meta:
        model = LearningPlan

    school = factory.SubFactory(SchoolFactory)
    student = factory.SubFactory(UserFactory)
    term = factory.SubFactory(TermFactory, school=factory.SelfAttribute("..school"))
    college_goal = "A state university"


class PlanFocusFactory(SchoolOwnedFactory):
    class Meta:
        model = PlanFocus

    plan = factory.SubFactory(LearningPlanFactory)
    school = factory.SelfAttribute("plan.school")
    focus_area = "Fractions"


class GoalFactory(SchoolOwnedFactory):
    class Meta:
        model = Goal

    school = factory.SubFactory(SchoolFactory)
    student = factory.SubFactory(UserFactory)
    kind = Goal.Kind.WEEKLY
    text = factory.Sequence(lambda n: f"Goal {n}")
    week_of = dt.date(2026, 11, 16)
    due_date = dt.date(2026, 11, 22)


class CheckInFactory(SchoolOwnedFactory):
    class Meta:
        model = CheckIn

    school = factory.SubFactory(SchoolFactory)
    student = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
    date = dt.date(2026, 11, 16)
    shared_notes = "Shared: keep going with fractions."
    private_notes = "PRIVATE: family situation, handle with care."


class CheckInChangeFactory(SchoolOwnedFactory):
    class Meta:
        model = CheckInChange

    check_in = factory.SubFactory(CheckInFactory)
    school = factory.SelfAttribute("check_in.school")
    field = "shared_notes"
    old_value = "Shared: keep going with fractions."
    new_value = "Shared: keep going with fractions and decimals."
