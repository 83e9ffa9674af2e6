from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "pressroom.distribution"
    label = "distribution"
    verbose_name = "Distribution"

    def ready(self) -> None:
        # Outbox rows are written inside the workflow move's transaction (events.py's
        # IN_TRANSACTION_HANDLERS): they commit or roll back with the move.
        from pressroom.distribution.outbox import record_event
        from pressroom.workflow import events

        if record_event not in events.IN_TRANSACTION_HANDLERS:
            events.IN_TRANSACTION_HANDLERS.append(record_event)
