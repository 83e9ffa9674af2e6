"""/<lang>/search/ beside the site's other per-language pages; /search/ goes to English."""

from django.urls import path

# Importing the site's URLs registers the `site_lang` converter this pattern uses.
import pressroom.site.urls  # noqa: F401
from pressroom.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_redirect, name="redirect"),
    path("<site_lang:lang>/search/", views.search_page, name="search"),
]
