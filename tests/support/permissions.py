"""The permission table the workflow and desk tests expect: which of six people may make each
move, and the state each move starts from. Written out here, apart from the rules module
(pressroom/workflow/rules.py), so that a change to the rules has to change both."""

ROLES = ["writer", "approver", "editor", "admin", "other_writer", "other_approver"]
ALLOWED = {
    "submit": {"writer", "approver", "editor"},
    "approve": {"approver", "editor"},
    "schedule": {"editor"},
    "publish": {"editor"},
    "unschedule": {"editor"},
    "return": {"approver", "editor"},
    "correct": {"editor"},
    "withdraw": {"editor"},
}
SOURCE_STATE = {
    "submit": "draft", "approve": "submitted", "schedule": "approved", "publish": "approved",
    "unschedule": "scheduled", "return": "submitted", "correct": "published",
    "withdraw": "published",
}  # fmt: skip
