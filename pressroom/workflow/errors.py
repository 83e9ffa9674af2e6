"""Why a workflow step was refused: each error's message is shown to the person as it is."""


class WorkflowError(Exception):
    """A refused step; `str(error)` says why in words a person on the desk understands."""


class NotPermitted(WorkflowError):
    """The person's role (or department) does not allow the step."""


class InvalidMove(WorkflowError):
    """The release's state (or what was given with the move) does not allow the step."""


class StaleEdit(WorkflowError):
    """Someone else saved the release after this person opened it (optimistic locking)."""


class AppendOnly(WorkflowError):
    """Audit entries and revisions are never changed or deleted."""
