"""Pressroom: press-release publishing and distribution."""

__version__ = "0.1.0"
