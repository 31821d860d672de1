from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>)
from movierec_site.ratings import views

app_name = "ratings"
urlpatterns = [
    path("my/ratings/", views.my_ratings, name="mine"),
    path("movies/<id:movie_id>/rate/", views.rate, name="rate"),
]
