from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>)
from movierec_site.posters import views

app_name = "posters"
urlpatterns = [path("<id:movie_id>.svg", views.generated_poster, name="generated")]
