"""List pages fetch what they show in a fixed number of queries, however many releases."""

import pytest

from tests.support.clock import hong_kong
from tests.support.factories import add_category, add_photos, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(clock):
    for hour in range(8, 18):
        release = make_release(hong_kong(2023, 11, 3, hour, 0))
        add_category(release)


# One aggregate per public response for the cache headers (pressroom.publiccache.generation: next issue
# instant and Last-Modified), whatever the page shows.
CACHE_HEADER_QUERIES = 1
# releases of the day, their versions, the month's counts per day
LIST_PAGE_QUERIES = 3 + CACHE_HEADER_QUERIES


@pytest.mark.parametrize("url", ["/", "/zh-hant/", "/en/2023/11/03/", "/zh-hans/2023/11/03/"])
def test_day_listings(client, busy_day, django_assert_num_queries, url):
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count('class="release-title"') == 10


def test_month_page(client, busy_day, django_assert_num_queries):
    with django_assert_num_queries(1 + CACHE_HEADER_QUERIES):
        client.get("/en/2023/11/")


def test_release_page(client, busy_day, django_assert_num_queries):
    # the release with its department, then versions, categories, photos and their texts
    release = make_release(hong_kong(2023, 11, 3, 17, 30))
    add_photos(release, ["Sample: one", "Sample: two", "Sample: three"], with_images=2)
    with django_assert_num_queries(5 + CACHE_HEADER_QUERIES):
        client.get(release.get_absolute_url("en"))
