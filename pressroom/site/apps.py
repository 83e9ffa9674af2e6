from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "pressroom.site"
    label = "site"
