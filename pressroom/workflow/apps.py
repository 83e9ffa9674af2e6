from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "pressroom.workflow"
    label = "workflow"
    verbose_name = "Workflow: people, revisions and the audit log"
