from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>)
from movierec_site.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("genres/<str:name>/", views.genre, name="genre"),
    path("movies/<id:movie_id>/", views.movie_detail, name="movie"),
]
