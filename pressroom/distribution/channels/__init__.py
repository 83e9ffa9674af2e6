"""Delivery channels, chosen in settings the way Django chooses e-mail backends.

`PRESSROOM_DISTRIBUTION_CHANNELS = {"email": {"BACKEND": "...EmailChannel"}, "webhook": {...}}`;
each class takes the entry's other keys as options. Tests swap in `locmem.LocmemChannel`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from pressroom.distribution.channels.base import BaseChannel, Outcome

__all__ = ["BaseChannel", "Outcome", "get_channel"]


def get_channel(name: str) -> BaseChannel:
    config = dict(settings.PRESSROOM_DISTRIBUTION_CHANNELS[name])
    backend = import_string(config.pop("BACKEND"))
    return backend(name=name, **{key.lower(): value for key, value in config.items()})
