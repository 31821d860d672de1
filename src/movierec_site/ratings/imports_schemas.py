"""What the import endpoints take and answer; the fields mirror `imports.ImportPlan` and
`imports.ImportReport`."""

from ninja import Schema
from pydantic import Field


class PlannedRatingOut(Schema):
    line: int
    named: str = Field(description="The film as the file names it")
    given: str = Field(description="The rating as the file gives it: 4.5, 9/10")
    stars: float = Field(description="The rating on the served model's scale")
    rated_on: str | None = Field(description="The file's date (YYYY-MM-DD), if any")
    movie_id: int | None = Field(description="The matched film; null while uncertain")
    film: str = Field(description="The matched film as the model names it")


class CandidateOut(Schema):
    movie_id: int
    label: str


class UncertainRatingOut(Schema):
    rating: PlannedRatingOut
    reason: str = Field(description="Why the match is uncertain")
    candidates: list[CandidateOut]


class SkippedLineOut(Schema):
    line: int
    named: str
    reason: str


class ImportPlanOut(Schema):
    format_name: str
    sure: list[PlannedRatingOut]
    uncertain: list[UncertainRatingOut]
    skipped: list[SkippedLineOut]


class ImportChoicesIn(Schema):
    choices: dict[int, int | None] = Field(
        default_factory=dict,
        description="{line: chosen candidate's movie id, or null to skip} for uncertain lines; "
        "a line not given is skipped",
    )


class ImportedOut(Schema):
    line: int
    film: str
    given: str = Field(description="The rating as the file gives it")
    stars: float = Field(description="The rating on the served model's scale")


class UpdatedOut(ImportedOut):
    before: float


class KeptOut(ImportedOut):
    yours: float
    reason: str


class ImportReportOut(Schema):
    imported: list[ImportedOut]
    updated: list[UpdatedOut]
    kept: list[KeptOut]
    not_imported: list[SkippedLineOut]
