from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "movierec_site.lists"
    label = "lists"
