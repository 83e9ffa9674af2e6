"""The distribution tasks, on Django's tasks API (django-tasks: the database or RQ backend).

`deliver_batch` sends deliveries the dispatcher has claimed (`deliver_mail_batch` the same, for
e-mail: on the database backend its own sending threads run it, so mail never waits in the
queue behind newsroom batches, nor they behind mail); `send_confirmation` sends a double
opt-in link. The worker (`pressroom worker`) runs them; see dispatcher.py for when.
"""

from __future__ import annotations

from django_tasks import task

from pressroom.distribution import sending
from pressroom.distribution.formatters.email import confirmation_message


@task()
def deliver_batch(delivery_ids: list[int], claimed_by: str) -> dict[str, int]:
    return sending.send_claimed(delivery_ids, claimed_by)


@task()
def deliver_mail_batch(delivery_ids: list[int], claimed_by: str) -> dict[str, int]:
    return sending.send_claimed(delivery_ids, claimed_by)


@task()
def send_confirmation(email: str, language: str, link: str) -> None:
    confirmation_message(email, language, link).send(fail_silently=False)
