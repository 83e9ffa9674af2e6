"""Formats of what distribution sends: a release in, a document out (ninjs body, e-mail)."""
