from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pressroom.ops.urls")),
    path("", include("pressroom.search.urls")),
    path("", include("pressroom.api.urls")),
    path("", include("pressroom.feeds.urls")),
    path("", include("pressroom.distribution.urls")),
    path("desk/", include("pressroom.desk.urls")),
    path("", include("pressroom.site.urls")),
]


def _serve_uploaded_media(request, path):
    # MEDIA_ROOT is read per request, not frozen at import, so a test's own media folder works.
    return serve_media(request, path, document_root=settings.MEDIA_ROOT)


if settings.PRESSROOM_SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", _serve_uploaded_media)]

handler404 = "pressroom.site.views.not_found"
handler500 = "pressroom.site.views.server_error"
