from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "pressroom.releases"
    label = "releases"
    verbose_name = "Releases"
