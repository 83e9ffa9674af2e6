from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pressroom.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Imported here: connecting the receivers needs the release models loaded.
        from pressroom.search import signals

        signals.connect()
