"""The import waiting for its confirmation, and the report of the last one, kept in the
person's session (signed in, so only they see them) rather than in a file on the server. The
page and the API share them: a plan read through one may be confirmed through the other."""

from django.contrib.sessions.backends.base import SessionBase

from movierec_site.ratings.imports import ImportPlan, ImportReport

PENDING = "ratings_import_plan"
REPORT = "ratings_import_report"


def pending_import_set(session: SessionBase, plan: ImportPlan) -> None:
    session[PENDING] = plan.as_data()


def pending_import_get(session: SessionBase) -> ImportPlan | None:
    data = session.get(PENDING)
    return ImportPlan.from_data(data) if data is not None else None


def pending_import_clear(session: SessionBase) -> None:
    session.pop(PENDING, None)


def import_report_set(session: SessionBase, report: ImportReport) -> None:
    """Remember the report, and forget the import it reports on."""
    session.pop(PENDING, None)
    session[REPORT] = report.as_data()


def import_report_get(session: SessionBase) -> dict | None:
    return session.get(REPORT)
