from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>, <genre:...>)
from movierec_site.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("genres/<genre:name>/", views.genre, name="genre"),
    path("movies/<id:movie_id>/", views.movie_detail, name="movie"),
]
