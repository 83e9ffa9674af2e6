from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "pressroom.media"
    label = "media"
    verbose_name = "Photos"
