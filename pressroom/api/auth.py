"""`Authorization: Bearer <token>`: the request acts as the token's owner, with their desk role."""

from __future__ import annotations

from ninja.security import HttpBearer

from pressroom.api.tokens import user_for_token


class BearerToken(HttpBearer):
    openapi_description = "A token from `pressroom token USERNAME`; it acts as that desk user."

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            # Workflow actions and permission checks read the person from the request, as on
            # the desk.
            request.user = user
        return user
