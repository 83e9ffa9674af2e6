"""Distribution's addresses: the public subscription pages (its desk page is the desk's).

Mounted once at the root of the site (pressroom/urls.py)."""

from django.urls import path

import pressroom.site.urls  # noqa: F401  (registers the site_lang converter)
from pressroom.distribution import views

app_name = "distribution"

urlpatterns = [
    path("<site_lang:lang>/subscribe/", views.subscribe_page, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm_page, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
]  # fmt: skip
