"""E-mail subscriptions: request (double opt-in), confirm, unsubscribe; the links are signed.

A request is not stored: the confirmation link carries it, signed with the secret key, and the
subscription is written only when the link is opened. Whoever types an address therefore learns
nothing: the page says the same whether the address is new, subscribed, or held back by the
limits below.

Nobody can use the form to flood a mailbox: at most one confirmation goes to an address an hour
(`ConfirmationSent`, a keyed digest of the address and the time, in the database so that every
web process keeps the rule), and one client address asks for at most CLIENT_LIMIT an hour
(counted in the cache, pressroom.utils.throttle), whatever addresses it types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from pressroom.distribution.formatters.email import absolute
from pressroom.distribution.models import ConfirmationSent, Frequency, Subscription
from pressroom.releases.languages import Language
from pressroom.releases.models import Category, Department
from pressroom.utils.throttle import over_limit

CONFIRM_SALT = "pressroom.distribution.confirm"
UNSUBSCRIBE_SALT = "pressroom.distribution.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
# One confirmation per address per interval; a client address (an office behind one address
# included) asks for at most CLIENT_LIMIT confirmations, to any addresses, per window.
CONFIRMATION_INTERVAL = dt.timedelta(hours=1)
CLIENT_LIMIT = 20
CLIENT_WINDOW_SECONDS = 60 * 60


class SubscriptionError(ValueError):
    """A request Pressroom cannot accept; the message says which field and why."""


@dataclass(frozen=True)
class SubscriptionRequest:
    email: str
    language: str = Language.EN.value
    frequency: str = Frequency.IMMEDIATE.value
    departments: tuple[str, ...] = field(default=())
    categories: tuple[str, ...] = field(default=())

    def cleaned(self) -> SubscriptionRequest:
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
        known = set(
            Department.objects.filter(code__in=self.departments).values_list("code", flat=True)
        )
        unknown = sorted(set(self.departments) - known)
        if unknown:
            raise SubscriptionError(f"no department with code {', '.join(unknown)}")
        known = set(
            Category.objects.filter(slug__in=self.categories).values_list("slug", flat=True)
        )
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
    def from_token(cls, token: str) -> SubscriptionRequest:
        """Raises signing.BadSignature (or SignatureExpired) for a forged or stale link."""
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return cls(data["e"], data["l"], data["f"], tuple(data["d"]), tuple(data["c"]))


def confirm_url(request: SubscriptionRequest) -> str:
    return absolute(reverse("distribution:confirm", kwargs={"token": request.token()}))


def _address_digest(email: str, purpose: str, length: int = 64) -> str:
    """A digest of the address keyed with the secret key: nobody without the key can tell
    from it whether it belongs to an address they guess."""
    return salted_hmac(purpose, email, algorithm="sha256").hexdigest()[:length]


def _unsubscribe_digest(email: str) -> str:
    return _address_digest(email, UNSUBSCRIBE_SALT, 12)


def _unkeyed_digest(email: str) -> str:
    """What links sent before the digest was keyed carry; still accepted (they are signed)."""
    return hashlib.sha256(email.encode()).hexdigest()[:12]


def unsubscribe_token(subscription: Subscription) -> str:
    """Names the subscription without showing the address (links end up in logs); the
    digest keeps a link from naming a later subscription that gets the same id."""
    value = f"{subscription.pk}.{_unsubscribe_digest(subscription.email)}"
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(value)


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(
        reverse("distribution:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
    )


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription an unsubscribe link names, or None if it is gone or the link is forged."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk, _, digest = value.partition(".")
    subscription = Subscription.objects.filter(pk=pk).first() if pk.isdigit() else None
    if subscription is None:
        return None
    expected = (_unsubscribe_digest(subscription.email), _unkeyed_digest(subscription.email))
    if not any(constant_time_compare(digest, value) for value in expected):
        return None
    return subscription


def ask_for_confirmation(request: SubscriptionRequest, client: str | None = None) -> bool:
    """Queue the confirmation mail (a task, sent by the worker after this transaction), unless
    the client (an address from pressroom.utils.client, None from the command line) is past its
    limit or one went to the address within the hour. True when it was queued; a caller that
    answers the public must answer the same either way. Raises SubscriptionError."""
    from pressroom.distribution.tasks import send_confirmation

    request = request.cleaned()
    if client is not None and over_limit("subscribe", client, CLIENT_LIMIT, CLIENT_WINDOW_SECONDS):
        return False
    if not _note_confirmation_sent(request.email, timezone.now()):
        return False
    link = confirm_url(request)
    transaction.on_commit(lambda: send_confirmation.enqueue(request.email, request.language, link))
    return True


def _note_confirmation_sent(email: str, now: dt.datetime) -> bool:
    """Record that a confirmation goes to `email` now, unless one went within the interval:
    False then. Concurrent requests for one address get one True between them: the
    conditional UPDATE takes the row (PostgreSQL re-reads it after the other's commit; SQLite
    writes one at a time), and the unique digest lets only one INSERT through."""
    digest = _address_digest(email, "pressroom.distribution.confirmation-sent")
    earlier = now - CONFIRMATION_INTERVAL
    with transaction.atomic():
        renewed = ConfirmationSent.objects.filter(address_digest=digest, sent_at__lte=earlier)
        if renewed.update(sent_at=now):
            return True
        ConfirmationSent.objects.filter(sent_at__lte=earlier).delete()  # nothing kept past the hour
        _, created = ConfirmationSent.objects.get_or_create(
            address_digest=digest, defaults={"sent_at": now}
        )
    return created


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
