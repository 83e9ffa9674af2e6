"""E-mail subscriptions: request (double opt-in), confirm, unsubscribe; the links are signed.

A request is not stored: the confirmation link carries it, signed with the secret key, and the
subscription is written only when the link is opened. Whoever types an address therefore learns
nothing (the page says the same whether or not it is subscribed) and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pressroom.distribution.formatters.email import absolute
from pressroom.distribution.models import Frequency, Subscription
from pressroom.releases.languages import Language
from pressroom.releases.models import Category, Department

CONFIRM_SALT = "pressroom.distribution.confirm"
UNSUBSCRIBE_SALT = "pressroom.distribution.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60


class SubscriptionError(ValueError):
    """A request Pressroom cannot accept; the message says which field and why."""


@dataclass(frozen=True)
class SubscriptionRequest:
    email: str
    language: str = Language.EN.value
    frequency: str = Frequency.IMMEDIATE.value
    departments: tuple[str, ...] = field(default=())
    categories: tuple[str, ...] = field(default=())

    def cleaned(self) -> "SubscriptionRequest":
        """Validated, with codes checked against the database; raises SubscriptionError."""
        email = self.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise SubscriptionError(f"{self.email!r} is not an e-mail address") from None
        if self.language not in Language.values:
            raise SubscriptionError(
                f"language {self.language!r}: expected one of {', '.join(Language.values)}"
            )
        if self.frequency not in Frequency.values:
            raise SubscriptionError(
                f"frequency {self.frequency!r}: expected one of {', '.join(Frequency.values)}"
            )
        known = set(Department.objects.filter(code__in=self.departments).values_list("code", flat=True))
        unknown = sorted(set(self.departments) - known)
        if unknown:
            raise SubscriptionError(f"no department with code {', '.join(unknown)}")
        known = set(Category.objects.filter(slug__in=self.categories).values_list("slug", flat=True))
        unknown = sorted(set(self.categories) - known)
        if unknown:
            raise SubscriptionError(f"no category {', '.join(unknown)}")
        return SubscriptionRequest(
            email=email.lower() if email.isascii() else email,
            language=self.language,
            frequency=self.frequency,
            departments=tuple(sorted(set(self.departments))),
            categories=tuple(sorted(set(self.categories))),
        )

    def token(self) -> str:
        return signing.dumps(
            {"e": self.email, "l": self.language, "f": self.frequency,
             "d": list(self.departments), "c": list(self.categories)},
            salt=CONFIRM_SALT, compress=True,
        )  # fmt: skip

    @classmethod
    def from_token(cls, token: str) -> "SubscriptionRequest":
        """Raises signing.BadSignature (or SignatureExpired) for a forged or stale link."""
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return cls(data["e"], data["l"], data["f"], tuple(data["d"]), tuple(data["c"]))


def confirm_url(request: SubscriptionRequest) -> str:
    return absolute(reverse("distribution:confirm", kwargs={"token": request.token()}))


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:12]


def unsubscribe_token(subscription: Subscription) -> str:
    """Names the subscription without showing the address (links end up in logs)."""
    value = f"{subscription.pk}.{_address_digest(subscription.email)}"
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(value)


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("distribution:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription an unsubscribe link names, or None if it is gone or the link is forged."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk, _, digest = value.partition(".")
    subscription = Subscription.objects.filter(pk=pk).first() if pk.isdigit() else None
    if subscription is None or _address_digest(subscription.email) != digest:
        return None
    return subscription


def ask_for_confirmation(request: SubscriptionRequest) -> None:
    """Queue the confirmation mail (a task, sent by the worker after this transaction)."""
    from pressroom.distribution.tasks import send_confirmation

    request = request.cleaned()
    link = confirm_url(request)
    transaction.on_commit(lambda: send_confirmation.enqueue(request.email, request.language, link))


def subscribe(request: SubscriptionRequest) -> Subscription:
    """Write (or replace) the subscription for the address: the confirmed request wins."""
    request = request.cleaned()
    with transaction.atomic():
        subscription, _ = Subscription.objects.update_or_create(
            email=request.email,
            defaults={
                "language": request.language,
                "frequency": request.frequency,
                "everything": not (request.departments or request.categories),
                "confirmed_at": timezone.now(),
            },
        )
        subscription.departments.set(Department.objects.filter(code__in=request.departments))
        subscription.categories.set(Category.objects.filter(slug__in=request.categories))
    return subscription


def unsubscribe(subscription: Subscription) -> None:
    """Forget the subscriber entirely; undelivered messages to them go with the row."""
    subscription.delete()
