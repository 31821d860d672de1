from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from movierec_site.api import api
from movierec_site.languages import language_set
from movierec_site.serving import views as serving_views

urlpatterns = [
    path("", include("movierec_site.catalog.urls")),
    path("", include("movierec_site.recommendations.urls")),
    path("", include("movierec_site.ratings.urls")),
    path("", include("movierec_site.lists.urls")),
    path("accounts/", include("movierec_site.accounts.urls")),
    path("posters/", include("movierec_site.posters.urls")),
    path("api/", api.urls),
    # Before the admin's own URLs, whose catch-all would answer this path with a 404.
    path(
        "admin/published-models/",
        admin.site.admin_view(serving_views.published_models),
        name="admin_published_models",
    ),
    path("admin/", admin.site.urls),
    path("language/", language_set, name="set_language"),
    # The words site.js and theme.js show, in the page's language (gettext() in the browser).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", serving_views.healthz, name="healthz"),
    path("readyz", serving_views.readyz, name="readyz"),
]
