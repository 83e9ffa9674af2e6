"""Public subscription pages and the desk's distribution page, through the test client."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pressroom.distribution import subscriptions
from pressroom.distribution.models import Delivery, DeliveryStatus, WebhookEndpoint
from pressroom.workflow.roles import Role
from tests.support.distribution import drain, schedule, soon
from tests.support.factories import person

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    return re.search(r"http://\S+/subscribe/confirm/\S+/", message.body).group(0)


def test_double_opt_in_from_the_form_to_the_confirmed_subscription(
    client, sample_department, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get("/en/subscribe/")
    assert page.status_code == 200 and b"Sample Department" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/en/subscribe/", {"email": "reader@example.test", "language": "en",
                                              "frequency": "immediate", "departments": ["sample"]})  # fmt: skip
    assert sent.status_code == 200 and b"Check your inbox" in sent.content
    assert not subscriptions.Subscription.objects.exists()  # not before the link is opened
    link = confirmation_link(mailoutbox[0]).replace("http://127.0.0.1:8000", "")
    assert client.get(link).status_code == 200
    assert not subscriptions.Subscription.objects.exists()  # a link preview does not subscribe
    assert b"Subscribed" in client.post(link).content
    subscription = subscriptions.Subscription.objects.get()
    assert subscription.email == "reader@example.test" and not subscription.everything


def test_a_forged_confirmation_link_subscribes_nobody(client):
    assert client.post("/subscribe/confirm/forged-token/").status_code == 404
    assert not subscriptions.Subscription.objects.exists()


def test_one_click_unsubscribe_needs_no_csrf_token():
    subscription = subscriptions.subscribe(subscriptions.SubscriptionRequest("reader@example.test"))
    path = subscriptions.unsubscribe_url(subscription).replace("http://127.0.0.1:8000", "")
    strict = Client(enforce_csrf_checks=True)
    assert b"reader@example.test" in strict.get(path).content  # GET only asks
    assert subscriptions.Subscription.objects.exists()
    response = strict.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not subscriptions.Subscription.objects.exists()


def test_unsubscribe_links_name_no_address_and_cannot_be_forged():
    subscription = subscriptions.subscribe(subscriptions.SubscriptionRequest("reader@example.test"))
    url = subscriptions.unsubscribe_url(subscription)
    assert "reader" not in url
    forged = url.replace(f"/{subscription.pk}.", f"/{subscription.pk + 1}.")
    assert Client().post(forged.replace("http://127.0.0.1:8000", "")).status_code == 200
    assert subscriptions.Subscription.objects.exists()


def test_the_desk_lists_dead_letters_and_retries_them(
    settings, client, editor, sample_department, in_memory_channels
):
    settings.PRESSROOM_DELIVERY_RETRY = {"BASE_SECONDS": 1, "CAP_SECONDS": 1, "MAX_ATTEMPTS": 1}
    WebhookEndpoint.objects.create(url="http://fail.invalid/hook")
    instant = soon(1)
    schedule(editor, sample_department, instant)
    drain(instant)
    assert Delivery.objects.get().status == DeliveryStatus.DEAD
    client.force_login(editor)
    page = client.get("/desk/distribution/")
    assert page.status_code == 200 and b"http://fail.invalid/hook" in page.content
    client.post("/desk/distribution/retry/", {"delivery": [Delivery.objects.get().pk]})
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_only_duty_editors_and_administrators_reach_the_distribution_page(
    client, sample_department
):
    client.force_login(person("wanda", Role.WRITER, sample_department))
    assert client.get("/desk/distribution/").status_code == 403
    assert client.post("/desk/distribution/retry/").status_code == 403


def test_registering_an_endpoint_on_the_desk_shows_its_secret_once(client, editor):
    client.force_login(editor)
    client.post("/desk/distribution/endpoints/", {"url": "https://newsroom.example.test/hook",
                                                  "language": "en", "accepts_embargo": "on"})  # fmt: skip
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.encode() in client.get("/desk/distribution/").content
    assert endpoint.secret.encode() not in client.get("/desk/distribution/").content


def test_the_duty_editor_allows_an_embargo_and_accredited_newsrooms_get_it_now(
    client, editor, sample_department, in_memory_channels
):
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/accredited", accepts_embargo=True)
    release = schedule(editor, sample_department, soon(3600))
    client.force_login(editor)
    client.post(f"/desk/distribution/embargo/{release.pk}/", {"allow": "1"})
    drain()
    assert [sent.event_kind for sent in in_memory_channels] == ["embargoed"]
