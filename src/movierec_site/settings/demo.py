"""The demo a person starts (`make demo`, `make serve`): development settings with DEBUG off, so
an unknown URL shows the site's own 404 page, not Django's list of URL patterns. WhiteNoise still
serves the static files straight from the source folders (dev's finders), as runserver does
not with DEBUG off. `make serve-dev` keeps the debug pages."""

from movierec_site.settings.dev import *  # noqa: F403

DEBUG = False
