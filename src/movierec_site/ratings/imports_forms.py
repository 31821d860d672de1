"""The upload form of an import, and reading the choices of its confirmation page."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movierec_site.ratings.imports import ImportPlan, import_plan
from movierec_site.ratings.imports_parsing import MAX_BYTES, ImportFileError

SKIP = "skip"


def _help_text() -> str:
    """The upload field's help, worded in the language of the request that shows it."""
    return _(
        "Letterboxd's ratings.csv, IMDb's ratings export, or a MovieLens-style ratings.csv; at "
        "most %(megabytes)s MB."
    ) % {"megabytes": MAX_BYTES // 1_048_576}


class ImportUploadForm(forms.Form):
    """Reads the uploaded export into a plan (`self.plan`); any reason it cannot is the form's
    error, so the page shows it beside the field."""

    file = forms.FileField(
        label=gettext_lazy("Export file (CSV)"),
        help_text=lazy(_help_text, str)(),
        error_messages={
            "required": gettext_lazy("Choose a file to import."),
            "empty": gettext_lazy("The file is empty; choose the CSV file the export gave you."),
        },
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB. Split it and import the "
                  "parts one after another.")
                % {"size": f"{upload.size / 1_048_576:.1f}", "limit": MAX_BYTES // 1_048_576}
            )
        try:
            self.plan: ImportPlan = import_plan(upload.read())
        except ImportFileError as problem:
            raise forms.ValidationError(_sentence(str(problem))) from None
        return upload


def chosen_films(plan: ImportPlan, posted: QueryDict) -> dict[int, int | None]:
    """{line: chosen movie id, or None} from the confirmation page's radio buttons (named
    line-<n>, valued a movie id or "skip"); a line left unanswered is skipped."""
    choices: dict[int, int | None] = {}
    for entry in plan.uncertain:
        value = posted.get(f"line-{entry.rating.line}", SKIP)
        choices[entry.rating.line] = int(value) if value.lstrip("-").isdigit() else None
    return choices


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
