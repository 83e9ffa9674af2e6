"""Placeholder views; the public site is being built."""

from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError


def home(request):
    return HttpResponse("Pressroom")


def release_page(request, **kwargs):
    return HttpResponseNotFound()


def release_wire(request, **kwargs):
    return HttpResponseNotFound()


def not_found(request, exception=None):
    return HttpResponseNotFound("Not found")


def server_error(request):
    return HttpResponseServerError("Server error")
