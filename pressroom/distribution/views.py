"""Public pages: subscribe (double opt-in), confirm, and unsubscribe (RFC 8058 one-click)."""

from __future__ import annotations

from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pressroom.distribution.forms import SubscribeForm
from pressroom.distribution.subscriptions import (
    SubscriptionError,
    SubscriptionRequest,
    ask_for_confirmation,
    subscribe,
    subscription_for_token,
    unsubscribe,
)
from pressroom.releases.languages import Language
from pressroom.site.page import page_context
from pressroom.utils.client import client_address


def _page(request, template: str, language: str = Language.EN, status: int = 200, **context):
    response = render(
        request, f"distribution/{template}", {**page_context(request, Language(language)), **context},
        status=status,
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def subscribe_page(request, lang):
    form = SubscribeForm(request.POST or None, initial={"language": lang})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscription_request = SubscriptionRequest(
            email=data["email"],
            language=data["language"],
            frequency=data["frequency"],
            departments=tuple(department.code for department in data["departments"]),
            categories=tuple(category.slug for category in data["categories"]),
        )
        try:
            ask_for_confirmation(subscription_request, client=client_address(request) or "")
        except SubscriptionError as error:
            form.add_error("email", str(error))
        else:
            # The same answer whether the address is new or subscribed, and whether or not the
            # mail went (the hourly and per-client limits): nothing leaks.
            return _page(request, "subscribe_sent.html", lang, email=subscription_request.email)
    return _page(request, "subscribe.html", lang, form=form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def confirm_page(request, token):
    try:
        subscription_request = SubscriptionRequest.from_token(token)
    except signing.SignatureExpired:
        return _page(request, "confirm.html", status=410, problem="expired")
    except signing.BadSignature:
        return _page(request, "confirm.html", status=404, problem="invalid")
    language = subscription_request.language
    if request.method == "POST":
        try:
            subscription = subscribe(subscription_request)
        except SubscriptionError as error:
            return _page(request, "confirm.html", language, status=400, problem=str(error))
        return _page(request, "confirm.html", language, subscription=subscription, done=True)
    return _page(request, "confirm.html", language, request_to_confirm=subscription_request)


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, token):
    subscription = subscription_for_token(token)
    if request.method == "POST":
        if subscription is not None:
            unsubscribe(subscription)
        return _page(request, "unsubscribe.html", done=True)
    if subscription is None:
        return _page(request, "unsubscribe.html", status=404, gone=True)
    return _page(request, "unsubscribe.html", subscription.language, subscription=subscription)
