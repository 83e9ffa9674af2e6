from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "pressroom.desk"
    label = "desk"
    verbose_name = "Newsroom desk"
