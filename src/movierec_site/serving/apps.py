from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    name = "movierec_site.serving"
    label = "serving"
    verbose_name = _("Model serving")

    def ready(self) -> None:
        # SQLite creates its file but not the folder; $MOVIEREC_HOME may not exist yet.
        database = settings.DATABASES["default"]
        name = str(database.get("NAME") or "")
        if (
            database["ENGINE"].endswith("sqlite3")
            and name
            and not name.startswith((":memory:", "file:"))
        ):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
