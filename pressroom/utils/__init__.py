"""Small helpers no app owns, at the bottom of the layers: they import nothing of Pressroom's
but `conf` and `settings` (binary COPY for bulk loads, the client's address behind a proxy, a
request counter, child processes that die with their parent)."""
