"""The published versions for the admin: what `movierec models` lists, for the configured link."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from movierec.versions import Version, list_versions, live_target
from movierec_site.serving.engine import model_store
from movierec_site.serving.store import LoadedModel


@dataclass(frozen=True)
class PublishedVersions:
    """The live model and the versions kept, the most recently published first."""

    link: Path
    live: Path | None
    """The folder the link points at; None when nothing is published."""
    versions: list[Version]
    served: LoadedModel | None
    """What this process serves now; it follows the link within a second of a switch."""

    @property
    def live_is_a_version(self) -> bool:
        return any(version.live for version in self.versions)


def published_versions_get() -> PublishedVersions:
    """The versions beside `settings.MOVIEREC_MODEL`; loads nothing."""
    link = Path(settings.MOVIEREC_MODEL)
    return PublishedVersions(
        link=link,
        live=live_target(link),
        versions=list_versions(link),
        served=model_store().current,
    )
