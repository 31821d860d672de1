from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>)
from movierec_site.ratings import imports_views, views

app_name = "ratings"
urlpatterns = [
    path("my/ratings/", views.my_ratings, name="mine"),
    path("movies/<id:movie_id>/rate/", views.rate, name="rate"),
    path("my/ratings/import/", imports_views.import_upload, name="import"),
    path("my/ratings/import/confirm/", imports_views.import_confirm, name="import_confirm"),
    path("my/ratings/import/report/", imports_views.import_report, name="import_report"),
    path("my/ratings/export.csv", imports_views.export_ratings, name="export"),
]
