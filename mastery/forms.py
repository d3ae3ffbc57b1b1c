"""Forms of the authoring and teacher pages. Forms only parse and show errors; services decide."""

from django import forms
from django.core.exceptions import ValidationError

from mastery.models import MasteryPolicy, Question, QuestionBank
from playlists.models import Competency
from plp.upload_forms import CarriedUploadForm


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """Choices one per line, the correct ones starting with ``*``; accepted answers one per line."""

    kind = forms.ChoiceField(choices=Question.Kind.choices)
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    choices_text = forms.CharField(
        label="Choices (one per line; start the correct ones with *)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    numeric_answer = forms.FloatField(required=False)
    tolerance = forms.FloatField(required=False, min_value=0, initial=0)
    accepted_text = forms.CharField(
        label="Accepted answers (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    explanation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        choices = [("*" if i in question.correct_choices else "") + c for i, c in enumerate(question.choices)]
        return {
            "kind": question.kind,
            "prompt": question.prompt,
            "choices_text": "\n".join(choices),
            "numeric_answer": question.numeric_answer,
            "tolerance": question.tolerance,
            "accepted_text": "\n".join(question.accepted_answers),
            "explanation": question.explanation,
        }

    def question_fields(self) -> dict:
        data = self.cleaned_data
        choices, correct = [], []
        for index, line in enumerate(_lines(data.get("choices_text", ""))):
            if line.startswith("*"):
                correct.append(index)
                line = line[1:].strip()
            choices.append(line)
        kind = data["kind"]
        is_choice = kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
        return {
            "kind": kind,
            "prompt": data["prompt"].strip(),
            "choices": choices if is_choice else [],
            "correct_choices": correct if is_choice else [],
            "numeric_answer": data.get("numeric_answer") if kind == Question.Kind.NUMERIC else None,
            "tolerance": data.get("tolerance") or 0,
            "accepted_answers": _lines(data.get("accepted_text", ""))
            if kind == Question.Kind.SHORT_TEXT
            else [],
            "explanation": data.get("explanation", "").strip(),
        }

    FIELD_OF = {
        "choices": "choices_text",
        "correct_choices": "choices_text",
        "accepted_answers": "accepted_text",
    }

    def add_model_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            target = self.FIELD_OF.get(field, field)
            self.add_error(target if target in self.fields else None, messages)


class BankCreateForm(forms.Form):
    competency = forms.ModelChoiceField(queryset=Competency.objects.order_by("code"))
    title = forms.CharField(max_length=200, required=False)


class BankImportForm(forms.Form):
    file = forms.FileField(label="JSON file", help_text="The format of the export (plp-question-bank/1).")
    replace = forms.BooleanField(required=False, label="Retire the bank's current questions first")


class QtiImportForm(CarriedUploadForm):
    """The QTI upload. After a dry run the checked file rides along, signed, in ``carried`` (files up to
    ``CARRY_BYTES``), so "Import" needs no second upload: a browser never refills a file input."""

    CARRY_BYTES = 2 * 1024 * 1024
    MAX_BYTES = 20 * 1024 * 1024
    field_order = ["file", "replace", "carried"]

    file = forms.FileField(
        label="QTI file",
        required=False,
        help_text="A QTI 2.1 or 3.0 item (.xml) or a package (.zip with imsmanifest.xml).",
    )
    replace = forms.BooleanField(required=False, label="Retire the bank's current questions first")

    def __init__(self, *args, bank_id: int, user_id: int, **kwargs):
        super().__init__(*args, salt=f"mastery.qti-upload.{bank_id}.{user_id}", **kwargs)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = MasteryPolicy
        fields = [
            "check_size",
            "pass_threshold",
            "cooldown_minutes",
            "practice_before_retake",
            "readiness_rule",
            "readiness_threshold",
        ]


class BankCheckForm(forms.ModelForm):
    """The bank's side of its checks, saved with the policy: how long a practised question stays out."""

    class Meta:
        model = QuestionBank
        fields = ["practice_exclusion_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice_exclusion_days"].required = False  # left out: unchanged

    def clean_practice_exclusion_days(self):
        value = self.cleaned_data.get("practice_exclusion_days")
        return self.instance.practice_exclusion_days if value is None else value


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(ReasonForm):
    mastered = forms.TypedChoiceField(
        choices=[("1", "Mastered"), ("0", "Not mastered")], coerce=lambda v: v == "1", label="Set to"
    )


class CartridgeImportForm(CarriedUploadForm):
    """The cartridge upload and the subject its playlists go under. A checked upload is carried to the
    import as a signed token (small cartridges only), so the teacher does not choose the file twice."""

    CARRY_BYTES = 1024 * 1024  # a hidden field bigger than this would pass Django's request body limit
    MAX_BYTES = 100 * 1024 * 1024
    MISSING = "Choose the cartridge file."
    field_order = ["file", "subject", "carried"]

    file = forms.FileField(
        label="Common Cartridge file",
        required=False,
        help_text="A course export (.imscc) from Canvas, Moodle, Schoology… (Common Cartridge 1.0–1.3).",
    )
    subject = forms.CharField(
        max_length=120, help_text="The subject the playlists go under, e.g. Mathematics"
    )

    def __init__(self, *args, user_id: int, school_id: int, **kwargs):
        super().__init__(*args, salt=f"playlists.cartridge-upload.{school_id}.{user_id}", **kwargs)
