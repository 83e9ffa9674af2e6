"""Reading the caching headers in tests, one way for every test that looks at them."""

from pressroom.publiccache.headers import shared_max_age


def lifetime(response) -> int:
    """The answer's lifetime in shared caches (its s-maxage; browsers always revalidate)."""
    return shared_max_age(response["Cache-Control"])
