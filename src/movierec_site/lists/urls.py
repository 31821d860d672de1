from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>)
from movierec_site.lists import views

app_name = "lists"
urlpatterns = [
    path("movies/<id:movie_id>/hide/", views.hide, name="hide"),
    path("movies/<id:movie_id>/watchlist/", views.watchlist, name="watchlist"),
    path("my/watchlist/", views.watchlist_page, name="watchlist_page"),
    path("my/hidden/", views.hidden_page, name="hidden_page"),
]
