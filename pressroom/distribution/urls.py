"""Distribution's addresses: the public subscription pages and the desk's distribution page.

Mounted once at the root of the site (pressroom/urls.py)."""

from django.urls import path

import pressroom.site.urls  # noqa: F401  (registers the site_lang converter)
from pressroom.distribution import desk_views, views

app_name = "distribution"

urlpatterns = [
    path("<site_lang:lang>/subscribe/", views.subscribe_page, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm_page, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
    path("desk/distribution/", desk_views.overview, name="desk"),
    path("desk/distribution/retry/", desk_views.retry, name="retry"),
    path("desk/distribution/endpoints/", desk_views.add_endpoint, name="add-endpoint"),
    path("desk/distribution/endpoints/<int:pk>/remove/", desk_views.remove_endpoint,
         name="remove-endpoint"),
    path("desk/distribution/embargo/<int:pk>/", desk_views.set_embargo, name="embargo"),
]  # fmt: skip
