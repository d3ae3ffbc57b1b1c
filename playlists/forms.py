"""Forms of the playlists pages. Choices are querysets of the active school (compiled at render time)."""

import re

from django import forms
from django.conf import settings

from accounts.models import User
from playlists.models import ChoiceBoard, Competency, ContentItem, Playlist, Subject
from playlists.projects.models import RUBRIC_LEVELS
from submissions.filetypes import KINDS
from submissions.services import file_vet

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # a whole state's standards in CASE JSON runs to several MB


class FrameworkImportForm(forms.Form):
    file = forms.FileField(help_text="CASE JSON (.json) or CSV (.csv) with columns code,title,…")
    subject = forms.CharField(max_length=120, help_text="e.g. Mathematics")
    title = forms.CharField(max_length=300, required=False, help_text="For a CSV: the framework's title.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 25 MB.")
        return upload


class PrerequisiteAddForm(forms.Form):
    """An id, not a ModelChoiceField: the view looks it up in the school, so another school's id is a 404."""

    prerequisite = forms.IntegerField(
        min_value=1, error_messages={"required": "Choose the competency to require first."}
    )


class ContentItemForm(forms.ModelForm):
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    url = forms.URLField(
        max_length=500, required=False, assume_scheme="https", help_text="The video or the external page."
    )
    interest_tags = forms.CharField(
        required=False, help_text="Separated by commas, e.g. sports, music, space-travel."
    )

    class Meta:
        model = ContentItem
        fields = [
            "title", "kind", "body", "url", "estimated_minutes", "difficulty", "competencies",
            "interest_tags", "accessibility_note", "asks_for_file",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["interest_tags"] = ", ".join(self.instance.interest_tags)
        if self.instance.kind == ContentItem.Kind.LTI_TOOL:  # done in the tool, which reports back
            self.fields["asks_for_file"].disabled = True
        if self.instance.kind != ContentItem.Kind.LTI_TOOL:  # made with its tool, in lti_platform/
            self.fields["kind"].choices = [
                choice for choice in self.fields["kind"].choices if choice[0] != ContentItem.Kind.LTI_TOOL
            ]

    def clean_interest_tags(self):
        raw = self.cleaned_data.get("interest_tags", "")
        tags = []
        for tag in raw.split(","):
            tag = re.sub(r"[^a-z0-9]+", "-", tag.strip().lower()).strip("-")
            if tag and tag not in tags:
                tags.append(tag)
        return tags[:20]


class ItemPreviewForm(forms.Form):
    """The text of the item form's preview (nothing saved): a reading's length at most."""

    body = forms.CharField(required=False, max_length=100_000, strip=False)


class PlaylistForm(forms.Form):
    title = forms.CharField(max_length=200)
    focus_area = forms.CharField(max_length=200, required=False, help_text="e.g. Ratios and rates")
    tier = forms.ChoiceField(choices=Playlist.Tier.choices, initial=Playlist.Tier.POWER)
    subject = forms.ModelChoiceField(queryset=Subject.objects.order_by("name"), required=False)
    new_subject = forms.CharField(max_length=120, required=False, help_text="Or name a new subject.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("subject") and not cleaned.get("new_subject", "").strip():
            self.add_error("subject", "Choose a subject or name a new one.")
        return cleaned


class PlaylistItemAddForm(forms.Form):
    item = forms.ModelChoiceField(queryset=ContentItem.objects.order_by("title"), label="Content item")
    required = forms.BooleanField(required=False, initial=True, label="Required")
    board = forms.ModelChoiceField(queryset=ChoiceBoard.objects.none(), required=False, label="Choice board")

    def __init__(self, *args, playlist: Playlist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = ChoiceBoard.objects.filter(playlist=playlist)
        self.fields["item"].queryset = ContentItem.objects.exclude(placements__playlist=playlist).order_by(
            "title"
        )


class PlacementUpdateForm(forms.Form):
    required = forms.BooleanField(required=False)
    board = forms.ModelChoiceField(queryset=ChoiceBoard.objects.none(), required=False)

    def __init__(self, *args, playlist: Playlist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = ChoiceBoard.objects.filter(playlist=playlist)


class ChoiceBoardForm(forms.Form):
    label = forms.CharField(max_length=120, help_text="e.g. Show what you know")
    choose = forms.IntegerField(min_value=1, max_value=20, initial=2, label="Students choose")


class AssignForm(forms.Form):
    section = forms.ModelChoiceField(queryset=None, required=False, help_text="A section you teach.")
    student = forms.ModelChoiceField(queryset=None, required=False, help_text="Or one of your students.")
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    target_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, sections, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["student"].queryset = User.objects.filter(pk__in=[s.pk for s in students]).order_by(
            "family_name", "given_name"
        )
        self.fields["student"].label_from_instance = lambda user: user.picker_label

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("section")) == bool(cleaned.get("student")):
            raise forms.ValidationError("Choose a section or a student (one of the two).")
        start, target = cleaned.get("start_date"), cleaned.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", "The target date is before the start date.")
        return cleaned


class ProjectForm(forms.Form):
    section = forms.ModelChoiceField(queryset=None, help_text="A section you teach.")
    title = forms.CharField(max_length=200)
    driving_question = forms.CharField(max_length=400)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class DimensionForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="e.g. Argument, Textual analysis, Research")
    level_1 = forms.CharField(max_length=400, label="Level 1 descriptor")
    level_2 = forms.CharField(max_length=400, label="Level 2 descriptor")
    level_3 = forms.CharField(max_length=400, label="Level 3 descriptor")
    level_4 = forms.CharField(max_length=400, label="Level 4 descriptor")
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )


class HandInFileForm(forms.Form):
    """A file a student hands in (a content item's): the deployment's limits in its help text, vetted
    (size, kind, sniffed content) by :func:`submissions.services.file_vet`. The milestone form adds its
    text and links to it."""

    file = forms.FileField(label="Attach a file", error_messages={"required": "Choose the file to hand in."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = file_help_text(optional=not self.fields["file"].required)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return file_vet(upload=upload) if upload else None


class SubmissionForm(HandInFileForm):
    field_order = ["text", "links", "file"]

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, label="Your work")
    links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One link per line (https://…)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].help_text = file_help_text(optional=True)

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https").clean
        for link in links:
            if not link.startswith(("https://", "http://")):
                raise forms.ValidationError(f"“{link[:80]}” is not an http(s) link.")
            validator(link)
        return links[:10]

    def clean(self):
        cleaned = super().clean()
        empty = not cleaned.get("text", "").strip() and not cleaned.get("links") and not cleaned.get("file")
        if empty and "file" not in self.errors:  # a refused file already says what is wrong
            raise forms.ValidationError("Write something, add a link or attach a file.")
        return cleaned


def file_help_text(*, optional: bool = True) -> str:
    """What this deployment accepts, from its settings."""
    extensions = ", ".join(ext for key in settings.SUBMISSION_FILE_TYPES for ext in KINDS[key].extensions)
    megabytes = settings.SUBMISSION_MAX_BYTES / (1024 * 1024)
    return (
        f"{'Optional. ' if optional else ''}{extensions}; at most {megabytes:g} MB. A new file replaces the "
        "one before (kept, marked replaced)."
    )


def submission_form(*, milestone, data=None, files=None) -> SubmissionForm:
    """One milestone's form, prefilled with the saved work (``milestone.my_submission`` if set); its ids
    carry the milestone's, as a project page holds one form per milestone."""
    saved = getattr(milestone, "my_submission", None)
    initial = {"text": saved.text, "links": "\n".join(saved.links)} if saved else {}
    return SubmissionForm(data, files, initial=initial, auto_id=f"id_milestone_{milestone.pk}_%s")


class ScoreForm(forms.Form):
    """One level and feedback per rubric dimension (fields built from the project's rubric)."""

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            self.fields[f"level_{dimension.pk}"] = forms.TypedChoiceField(
                label=dimension.name,
                choices=[("", "Not scored")] + [(level, str(level)) for level in RUBRIC_LEVELS],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"feedback_{dimension.pk}"] = forms.CharField(
                label=f"Feedback on {dimension.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple]:
        return [(d, self[f"level_{d.pk}"], self[f"feedback_{d.pk}"]) for d in self.dimensions]

    def scores(self) -> list[tuple]:
        return [
            (d, self.cleaned_data[f"level_{d.pk}"], self.cleaned_data[f"feedback_{d.pk}"])
            for d in self.dimensions
            if self.cleaned_data.get(f"level_{d.pk}")
        ]
