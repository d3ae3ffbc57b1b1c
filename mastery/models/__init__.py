"""Mastery's models, a module a job: ``common`` (the user model and probability bounds they share),
``questions`` (question banks and their questions), ``policy`` (how a competency is checked and estimated:
policies, section settings, BKT parameters), ``attempts`` (practice answers, mastery checks and their
answers) and ``ledger`` (the mastery state and the append-only evidence ledger it is derived from). Every
model is re-exported here, so ``from mastery.models import X`` and Django's model discovery keep working.
"""

from mastery.models.attempts import CheckAttempt, CheckResponse, PracticeAnswer
from mastery.models.common import PROBABILITY, USER
from mastery.models.ledger import RULE_VERSION, EvidenceEvent, MasteryState, MasteryStatus
from mastery.models.policy import CompetencyModelParams, MasteryPolicy, ReadinessRule, SectionCheckSetting
from mastery.models.questions import Question, QuestionBank

__all__ = [
    "PROBABILITY",
    "RULE_VERSION",
    "USER",
    "CheckAttempt",
    "CheckResponse",
    "CompetencyModelParams",
    "EvidenceEvent",
    "MasteryPolicy",
    "MasteryState",
    "MasteryStatus",
    "PracticeAnswer",
    "Question",
    "QuestionBank",
    "ReadinessRule",
    "SectionCheckSetting",
]
