"""The Common Cartridge import page (teachers and school admins, like the framework import): a course
export's content and question banks, checked then imported in one transaction (``cartridge_services``)."""

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mastery import cartridge_services, forms
from playlists.selectors import IMPORT_ROLES
from plp.tenancy.decorators import school_roles_required


@require_http_methods(["GET", "POST"])
@school_roles_required(*IMPORT_ROLES)
def cartridge_import_view(request, school_slug: str):
    """Upload a course export: "Check" shows the dry run (counts, and every resource with what becomes of
    it) and writes nothing; "Import" writes it all at once, or nothing while the report has an error."""
    form = forms.CartridgeImportForm(
        request.POST or None, request.FILES or None, user_id=request.user.pk, school_id=request.school.pk
    )
    report, carried, status = None, "", 200
    dry_run = request.POST.get("action") != "import"
    if request.method == "POST":
        status = 400
        if form.is_valid():
            name, data = form.cleaned_data["upload"]
            subject = form.cleaned_data["subject"].strip()
            try:
                cartridge = cartridge_services.cartridge_read(data=data)
            except cartridge_services.CartridgeError as error:
                form.add_error("file", str(error))
            else:
                if dry_run:
                    report = cartridge_services.cartridge_import_check(
                        cartridge=cartridge, subject_name=subject
                    )
                    carried = form.carry(name=name, data=data) if report.ok else ""
                else:
                    report = cartridge_services.cartridge_import(
                        cartridge=cartridge, subject_name=subject, user=request.user
                    )
                status = 200 if report.ok else 400
                if report.imported:
                    messages.success(request, f"Imported “{cartridge.title}”.")
    context = {"form": form, "report": report, "dry_run": dry_run, "carried": carried}
    return render(request, "mastery/cartridge_import.html", context, status=status)
