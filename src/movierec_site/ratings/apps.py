from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "movierec_site.ratings"
    label = "ratings"
