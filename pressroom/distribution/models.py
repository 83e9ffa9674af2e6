"""Who receives releases (subscribers, newsroom endpoints) and the outbox of deliveries to them.

The outbox is the truth of distribution. A workflow move writes a `DistributionEvent` in its own
transaction (see `outbox.py`); the worker fans each event out into one `Delivery` per recipient
in one transaction, claims due deliveries, sends them and records the outcome. A crash at any
point leaves rows to resume, never a gap; a delivery sent but not yet recorded is sent again
with the same idempotency key (`Delivery.key`), which receivers use to drop the repeat.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

from pressroom.releases.languages import Language
from pressroom.releases.models import Category, Department, Release


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Each release as it is issued"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"


class Subscription(models.Model):
    """A confirmed e-mail subscriber. Unconfirmed requests are never stored: the confirmation
    link carries the request, signed, so an address typed by someone else leaves no trace."""

    email = models.EmailField(unique=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)
    frequency = models.CharField(
        max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    # True when neither departments nor categories are chosen: every release. Kept as a column
    # so the fan-out query needs no join for the common case.
    everything = models.BooleanField(default=True)
    confirmed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def describe(self) -> str:
        if self.everything:
            return "all releases"
        parts = [department.name_en for department in self.departments.all()]
        parts += [category.name_en for category in self.categories.all()]
        return ", ".join(parts)


class ConfirmationSent(models.Model):
    """When a confirmation link last went to an address, so that at most one goes per hour
    (`subscriptions.ask_for_confirmation`) whichever web process takes the request. The address
    itself is not kept, only a keyed digest of it; rows older than the hour are deleted."""

    address_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"confirmation sent at {self.sent_at:%Y-%m-%d %H:%M}"


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """A newsroom's receiving address. Bodies are ninjs in `language`, signed with `secret`."""

    url = models.URLField(
        max_length=500, help_text="http:// or https:// address that receives POSTs."
    )
    newsroom = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_webhook_secret, editable=False)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)
    accepts_embargo = models.BooleanField(
        default=False,
        help_text="Accredited to receive releases the duty editor allows ahead of their issue "
        "time, marked embargoed until that instant.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.newsroom or 'endpoint'} <{self.url}>"


class Embargo(models.Model):
    """The duty editor's permission to send a release early to embargo-accredited newsrooms."""

    release = models.OneToOneField(Release, on_delete=models.CASCADE, related_name="embargo")
    allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    allowed_at = models.DateTimeField(auto_now_add=True)


class EventKind(models.TextChoices):
    ISSUED = "issued", "Issued"
    EMBARGOED = "embargoed", "Sent under embargo"
    RECALLED = "recalled", "Embargoed copy recalled"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DAILY_DIGEST = "daily-digest", "Daily digest"
    WEEKLY_DIGEST = "weekly-digest", "Weekly digest"


class DistributionEvent(models.Model):
    """Something to distribute at `due_at`: written in the workflow move's transaction."""

    kind = models.CharField(max_length=16, choices=EventKind.choices)
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    # For an embargoed copy: the issue instant, when the embargo lifts.
    embargo_lifts_at = models.DateTimeField(null=True, blank=True)
    # For a recall: the endpoints that had the embargoed copy.
    endpoint_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Fanned out once as soon as it is written (so the instant itself only sends), and once
    # more when due, for recipients who joined in between.
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    recipients_final = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["recipients_final", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "due_at"],
                condition=models.Q(release__isnull=True),
                name="one_digest_per_instant",
            )
        ]

    def __str__(self) -> str:
        subject = self.release.reference if self.release_id else "digest"
        return f"{self.get_kind_display()} {subject} at {self.due_at:%Y-%m-%d %H:%M:%S}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    DEAD = "dead", "Failed (dead letter)"
    CANCELLED = "cancelled", "Cancelled"


def new_delivery_key() -> str:
    """The idempotency key: the Standard Webhooks `webhook-id`, and the e-mail Message-ID."""
    return "msg_" + uuid.uuid4().hex


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class Delivery(models.Model):
    """One message to one recipient. Recorded before it is attempted; retried until sent."""

    key = models.CharField(max_length=40, unique=True, default=new_delivery_key, editable=False)
    event = models.ForeignKey(
        DistributionEvent, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            # A channel's claim order (due_at, id) straight from the index: no sort, no scan
            # past the other channel's rows.
            models.Index(fields=["status", "channel", "due_at", "id"], name="delivery_claim_order"),
            # The idle worker's next due instant, any channel.
            models.Index(fields=["status", "due_at"], name="delivery_next_due"),
            models.Index(fields=["status", "claimed_by"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"],
                condition=models.Q(subscription__isnull=False),
                name="one_delivery_per_subscriber",
            ),
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                condition=models.Q(endpoint__isnull=False),
                name="one_delivery_per_endpoint",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.channel} -> {self.recipient}"

    @property
    def recipient(self) -> str:
        if self.subscription_id:
            return self.subscription.email
        if self.endpoint_id:
            return self.endpoint.url
        return "?"


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive; deliveries claimed by a silent one are taken back."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
