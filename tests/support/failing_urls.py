"""The site's URLs plus one API path and one page that fail, to see how a 500 is answered."""

from django.urls import path

from pressroom.urls import handler404, handler500  # noqa: F401
from pressroom.urls import urlpatterns as site_urlpatterns


def failing(request):
    raise RuntimeError("a sample failure inside a view")


urlpatterns = [path("api/failing", failing), path("failing", failing), *site_urlpatterns]
