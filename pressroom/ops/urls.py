from django.urls import path

from pressroom.ops import views

app_name = "ops"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics_page, name="metrics"),
]
