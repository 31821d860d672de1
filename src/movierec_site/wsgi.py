"""The WSGI application for gunicorn. Defaults to production settings.

The published model is loaded here, at startup: with `gunicorn --preload` the workers share its
arrays (copy-on-write) and no first request pays for loading it.
"""

import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movierec_site.settings.prod")

application = get_wsgi_application()

from movierec_site.serving.engine import current_model  # noqa: E402  (needs settings)

try:
    current_model()
except Exception:
    # No model yet, or a broken one: the site starts anyway and /readyz says why.
    logging.getLogger("movierec_site").exception("no model loaded at startup")

# Everything alive now (Django, the model's catalogue) lives as long as the process. Frozen, the
# garbage collector stops re-scanning it on every full collection, which showed as 50-300 ms
# pauses under load, and forked workers stop dirtying its shared pages by touching GC headers.
gc.freeze()
