"""The upload form of an import, and reading the choices of its confirmation page."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict

from movierec_site.ratings.imports import ImportPlan, import_plan
from movierec_site.ratings.imports_parsing import MAX_BYTES, ImportFileError

SKIP = "skip"


class ImportUploadForm(forms.Form):
    """Reads the uploaded export into a plan (`self.plan`); any reason it cannot is the form's
    error, so the page shows it beside the field."""

    file = forms.FileField(
        label="Export file (CSV)",
        help_text="Letterboxd's ratings.csv, IMDb's ratings export, or a MovieLens-style "
        f"ratings.csv; at most {MAX_BYTES // 1_048_576} MB.",
        error_messages={
            "required": "Choose a file to import.",
            "empty": "The file is empty; choose the CSV file the export gave you.",
        },
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_BYTES // 1_048_576} MB. Split it and import the parts one after another."
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
