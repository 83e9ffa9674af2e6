"""Operators' endpoints: `/healthz` (is this instance fit to serve?) and `/metrics` (Prometheus).

Both are read by machines (a load balancer, a monitoring server), not people, so they are plain
JSON and plain Prometheus text, never cached, and cheap enough to be polled every few seconds.
"""
