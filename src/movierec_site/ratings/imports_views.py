"""Importing a rating history (upload -> confirm -> report) and downloading one's ratings.

The pending import is kept in the session between the upload and the confirmation, and the
report after it, so nothing the person uploads is stored anywhere else; no JavaScript is needed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from movierec_site.ratings.history_export import rating_history_csv, rating_history_filename
from movierec_site.ratings.imports import ImportExpired, InvalidChoice, import_apply
from movierec_site.ratings.imports_forms import ImportUploadForm, chosen_films
from movierec_site.ratings.imports_parsing import MAX_ROWS
from movierec_site.ratings.imports_pending import (
    import_report_get,
    import_report_set,
    pending_import_clear,
    pending_import_get,
    pending_import_set,
)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        pending_import_set(request.session, form.plan)
        return redirect("ratings:import_confirm")
    return render(request, "ratings/import_upload.html", {"form": form, "max_rows": MAX_ROWS})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def import_confirm(request: HttpRequest) -> HttpResponse:
    plan = pending_import_get(request.session)
    if plan is None:
        messages.info(request, _("No import is waiting; choose a file to import."))
        return redirect("ratings:import")
    if request.method == "POST":
        if "cancel" in request.POST:
            pending_import_clear(request.session)
            messages.info(request, _("Import cancelled; nothing was changed."))
            return redirect("ratings:mine")
        try:
            report = import_apply(
                user=request.user, plan=plan, choices=chosen_films(plan, request.POST)
            )
        except ImportExpired as expired:
            pending_import_clear(request.session)
            messages.error(request, _("Nothing was imported: %(why)s.") % {"why": expired})
            return redirect("ratings:import")
        except InvalidChoice as wrong:
            messages.error(request, _("Nothing was imported yet: %(why)s.") % {"why": wrong})
            return redirect("ratings:import_confirm")
        import_report_set(request.session, report)
        return redirect("ratings:import_report")
    return render(request, "ratings/import_confirm.html", {"plan": plan})


@require_safe
@never_cache
@login_required
def import_report(request: HttpRequest) -> HttpResponse:
    report = import_report_get(request.session)
    if report is None:
        return redirect("ratings:import")
    return render(request, "ratings/import_report.html", {"report": report})


@require_safe
@login_required
def export_ratings(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(rating_history_csv(user=request.user), content_type="text/csv")
    filename = rating_history_filename(user=request.user)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
