"""The audit log's pages (in privacy, above audit and schools in the app layers: they read roles and the
data-rights pseudonyms): the school admins read it (filtered, paginated) and export it as CSV; the export
is itself recorded in the log."""

import csv
import datetime as dt
import io

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit import selectors
from audit.csvcells import csv_cell
from audit.models import AuditEntry
from audit.recorder import export_recorded
from plp.search import pager_query
from plp.tenancy.decorators import school_roles_required
from privacy.selectors import erasure_pseudonyms
from schools.roles import DISTRICT_ADMIN, Role

PER_PAGE = 50
ADMINS = (Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
EXPORT_MAX_ROWS = 50_000  # a bigger log is exported in date ranges


class AuditFilterForm(forms.Form):
    student = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Student")
    reader = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Person")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *AuditEntry.Kind.choices])
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, readers, students, pseudonyms):
        super().__init__(data)
        self.fields["student"].choices = [("", "Any student")] + [
            (s.pk, pseudonyms.get(s.pk) or s.picker_label) for s in students
        ]
        self.fields["reader"].choices = [("", "Anyone")] + [(p.pk, p.picker_label) for p in readers]

    def filters(self) -> selectors.AuditFilter:
        if not self.is_valid():
            return selectors.AuditFilter()
        data = self.cleaned_data
        return selectors.AuditFilter(
            student_id=data["student"],
            actor_id=data["reader"],
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
        )


def _form(request):
    readers, students = selectors.audit_people_choices()
    pseudonyms = erasure_pseudonyms(student_ids=[s.pk for s in students])
    return AuditFilterForm(request.GET or None, readers=readers, students=students, pseudonyms=pseudonyms)


@require_safe
@school_roles_required(*ADMINS)
def audit_log(request, school_slug: str):
    form = _form(request)
    page = Paginator(selectors.audit_entries(filters=form.filters()), PER_PAGE).get_page(
        request.GET.get("page")
    )
    pseudonyms = erasure_pseudonyms(student_ids={e.student_id for e in page.object_list if e.student_id})
    for entry in page.object_list:
        entry.student_label = pseudonyms.get(entry.student_id) or (entry.student if entry.student_id else "")
    return render(request, "audit/log.html", {"form": form, "page": page, "query": pager_query(request)})


@require_safe
@school_roles_required(*ADMINS)
def audit_export(request, school_slug: str):
    """The filtered log as CSV (streamed; names of erased students replaced by their pseudonyms)."""
    form = _form(request)
    entries = list(selectors.audit_entries(filters=form.filters())[:EXPORT_MAX_ROWS])
    pseudonyms = erasure_pseudonyms(student_ids={e.student_id for e in entries if e.student_id})
    export_recorded(
        kind=AuditEntry.Kind.AUDIT_EXPORT, object_type="audit_log", object_id=request.GET.urlencode()
    )

    # Built before the response leaves: the school's scope ends with the view (no streaming past it).
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors.CSV_HEADER)
    for entry in entries:
        row = selectors.audit_csv_row(entry)
        if entry.student_id in pseudonyms:
            row[6] = pseudonyms[entry.student_id]
        writer.writerow([csv_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{dt.date.today():%Y%m%d}.csv"'
    return response
