from django.apps import AppConfig


class PostersConfig(AppConfig):
    name = "movierec_site.posters"
    label = "posters"
