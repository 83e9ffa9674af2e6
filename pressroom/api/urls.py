from django.urls import path

from pressroom.api.app import api

urlpatterns = [path("api/", api.urls)]
