from django.urls import path

from pressroom.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "<str:lang>/<str:year>/<str:month>/<str:day>/<str:reference>/",
        views.release_page,
        name="release",
    ),
    path(
        "<str:lang>/<str:year>/<str:month>/<str:day>/<str:reference>.txt",
        views.release_wire,
        name="release-wire",
    ),
]
