"""The machine-facing side of Pressroom: document formats for other systems (ninjs)."""
