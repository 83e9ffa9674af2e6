from django.contrib.auth import views as auth_views
from django.urls import path

from pressroom.desk import compose, distribution, media, pages, preview

app_name = "desk"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    path("", pages.queue, name="queue"),
    path("releases/", pages.release_list, name="releases"),
    path("audit/", pages.audit_log, name="audit"),
    path("new/", compose.new_release, name="new"),
    path("simplified/", compose.simplified_preview, name="simplified"),
    path("r/<int:pk>/", compose.edit_release, name="release"),
    path("r/<int:pk>/move/<str:move>/", compose.move, name="move"),
    path("r/<int:pk>/photos/", compose.upload_photo, name="photo-upload"),
    path("r/<int:pk>/history/", pages.history, name="history"),
    path("r/<int:pk>/audit/", pages.release_audit, name="release-audit"),
    path("r/<int:pk>/preview/<str:language>/", preview.preview_page, name="preview"),
    path("r/<int:pk>/preview/<str:language>.txt", preview.preview_wire, name="preview-wire"),
    path("r/<int:pk>/share/", preview.share, name="share"),
    path("r/<int:pk>/share/<int:link_id>/revoke/", preview.revoke_link, name="share-revoke"),
    path("shared/<str:token>/", preview.shared_preview, name="shared"),
    path("shared/<str:token>/media/<path:name>", media.shared_media, name="shared-media"),
    path("media/<path:name>", media.desk_media, name="media"),
    path("distribution/", distribution.overview, name="distribution"),
    path("distribution/retry/", distribution.retry, name="distribution-retry"),
    path("distribution/endpoints/", distribution.add_endpoint, name="add-endpoint"),
    path(
        "distribution/endpoints/<int:pk>/remove/",
        distribution.remove_endpoint,
        name="remove-endpoint",
    ),
    path("distribution/embargo/<int:pk>/", distribution.set_embargo, name="embargo"),
]
