"""WSGI entry point for granian, gunicorn or any WSGI server: Django behind the front door
(pressroom.frontdoor), which answers kept public pages before Django's middleware runs."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
django.setup(set_prefix=False)

from pressroom.frontdoor import FrontDoorHandler  # noqa: E402 (needs the apps loaded)

application = FrontDoorHandler()
