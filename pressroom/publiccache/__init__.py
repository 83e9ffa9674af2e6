"""Public HTTP caching, in one app (docs/decisions/0008-one-public-cache.md).

- `generation`: the generation key (newest save, next issue instant, Hong Kong date) and how
  long it holds; each process keeps its latest and reads it again on a save (signals in `apps`).
- `headers`: lifetimes, validators, 304s and X-Accel-Expires, by the clock (functions).
- `policy`: the share policy, "may a shared cache keep this answer?", which every layer asks.
- `decorators.public_cache`: what every public read view wears.
- `responses`: the response cache (pages under their generation key) and single-flight.
- `handler`: the local response cache, finished pages answered before Django (pressroom.wsgi).
- `middleware`: X-Accel-Expires for nginx's micro-cache on shared answers.

The nginx configuration (`pressroom nginxconf`) takes the request half of the policy from
`policy`.
"""
