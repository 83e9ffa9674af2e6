from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "pressroom.importer"
    label = "pressroom_importer"
