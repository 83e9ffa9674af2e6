from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pressroom.core"
    label = "pressroom_core"
