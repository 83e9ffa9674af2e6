"""WSGI entry point for granian, gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
application = get_wsgi_application()
