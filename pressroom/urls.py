from django.contrib import admin
from django.urls import include, path

from pressroom.media.views import public_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pressroom.ops.urls")),
    path("", include("pressroom.search.urls")),
    path("", include("pressroom.api.urls")),
    path("", include("pressroom.feeds.urls")),
    path("", include("pressroom.distribution.urls")),
    path("desk/", include("pressroom.desk.urls")),
    # Photos, sent only while their release is public (pressroom.media.access); by the app or,
    # with PRESSROOM_MEDIA_SENDER=nginx, by nginx once the app has decided.
    path("media/<path:name>", public_media, name="media-file"),
    path("", include("pressroom.site.urls")),
]

handler404 = "pressroom.site.views.not_found"
handler500 = "pressroom.site.views.server_error"
