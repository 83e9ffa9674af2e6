from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "pressroom.ops"
    label = "ops"
    verbose_name = "Operations"
