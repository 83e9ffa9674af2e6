"""The machine-facing side of Pressroom: the JSON API (django-ninja, under /api/v1/), its
bearer tokens, and document formats for other systems (ninjs)."""
