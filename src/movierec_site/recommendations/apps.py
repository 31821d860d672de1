from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "movierec_site.recommendations"
    label = "recommendations"
