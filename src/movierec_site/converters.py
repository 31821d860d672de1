"""The `<id:...>` URL converter, registered once on import; every urls module imports this."""

from django.urls import register_converter


class DatasetId:
    """Dataset ids in URLs: up to nine digits, so an absurdly long number is a plain 404
    instead of an integer the engine's int64 tables cannot hold."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatasetId, "id")
