"""The site's URLs plus one API path and one page that fail, to see how a 500 is answered."""

from django.urls import path

from pressroom.urls import handler404, handler500, urlpatterns as site_urlpatterns  # noqa: F401


def failing(request):
    raise RuntimeError("a sample failure inside a view")


urlpatterns = [path("api/failing", failing), path("failing", failing), *site_urlpatterns]
