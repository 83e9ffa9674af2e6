"""What the write path announces, for the apps that follow the archive's text."""

from django.dispatch import Signal

# Sent by `pressroom.releases.services.ContentWriter` once it has stored versions, inside its
# transaction, whether it wrote them one at a time or in bulk: `written` is a list of
# `services.Written`. Search indexes them and the public cache reads a new generation (its
# key names what is public; pressroom.publiccache): each in one receiver, whoever wrote (docs/decisions/0007-one-write-path.md).
content_written = Signal()
