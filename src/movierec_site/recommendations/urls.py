from django.urls import path

from movierec_site import converters  # noqa: F401  (registers <id:...>)
from movierec_site.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("for-you/list/", views.for_you_list, name="for_you_list"),
    path("welcome/", views.welcome, name="welcome"),
    path("users/", views.demo_users, name="demo_users"),
    path("users/<id:user_id>/", views.dataset_user, name="dataset_user"),
]
