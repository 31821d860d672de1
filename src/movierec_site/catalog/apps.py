from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "movierec_site.catalog"
    label = "catalog"
