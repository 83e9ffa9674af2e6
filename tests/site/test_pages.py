"""The public pages through the test client: what they show, in which language, where they link."""

import pytest
from django.conf import settings
from django.utils import timezone

from pressroom.releases.models import ReleaseState
from pressroom.wire.model import Block, BlockKind
from tests.support.clock import hong_kong
from tests.support.factories import add_category, add_photos, make_release

pytestmark = pytest.mark.django_db


def test_home_lists_todays_english_releases_newest_first_with_times(client, clock):
    make_release(hong_kong(2023, 11, 3, 9, 30), title="Sample: morning notice")
    make_release(hong_kong(2023, 11, 3, 16, 0), title="Sample: afternoon notice")
    make_release(hong_kong(2023, 11, 2, 16, 0), title="Sample: yesterday's notice")
    page = client.get("/").content.decode()
    assert "Today&#x27;s Press Releases" in page
    assert page.index("Sample: afternoon notice") < page.index("Sample: morning notice")
    assert "Sample: yesterday" not in page
    assert ">09:30</time>" in page and ">16:00</time>" in page
    assert '<html lang="en">' in page


def test_today_in_chinese_uses_chinese_labels_and_titles(client, clock):
    make_release(hong_kong(2023, 11, 3, 10, 0), title_zh="樣本：發展局舉辦展覽")
    traditional = client.get("/zh-hant/").content.decode()
    simplified = client.get("/zh-hans/").content.decode()
    assert '<html lang="zh-Hant-HK">' in traditional
    assert "今日新聞公報" in traditional and "樣本：發展局舉辦展覽" in traditional
    assert '<html lang="zh-Hans">' in simplified
    assert "今日新闻公报" in simplified and "样本：发展局举办展览" in simplified


def test_a_listing_shows_only_releases_with_a_version_in_its_language(client, clock):
    make_release(hong_kong(2023, 11, 3, 10, 0), english=False, title_zh="樣本：只有中文")
    make_release(hong_kong(2023, 11, 3, 11, 0), title="Sample: English only", title_zh=None)
    english = client.get("/en/2023/11/03/").content.decode()
    chinese = client.get("/zh-hant/2023/11/03/").content.decode()
    assert "Sample: English only" in english and "樣本：只有中文" not in english
    assert "樣本：只有中文" in chinese and "Sample: English only" not in chinese


def test_day_index_and_its_calendar_link_days_with_releases(client, clock):
    make_release(hong_kong(2023, 11, 1, 12, 0), title="Sample: first of the month")
    make_release(hong_kong(2023, 10, 31, 12, 0), title="Sample: last of October")
    page = client.get("/en/2023/11/01/").content.decode()
    assert "Press releases of Wednesday, November 1, 2023" in page
    assert "Sample: first of the month" in page and "October" not in page.split("<aside")[0]
    assert 'href="/en/2023/11/01/" aria-current="date">1<' in page
    assert 'href="/en/2023/10/"' in page  # previous month
    assert 'href="/en/2023/12/"' not in page  # the future is not offered


def test_a_day_without_releases_says_so(client, clock):
    page = client.get("/en/2023/10/15/")
    assert page.status_code == 200
    assert "No press releases were issued on this day." in page.content.decode()


def test_month_page_links_each_day_and_counts(client, clock):
    make_release(hong_kong(2023, 10, 2, 12, 0))
    make_release(hong_kong(2023, 10, 2, 15, 0))
    make_release(hong_kong(2023, 10, 20, 15, 0))
    page = client.get("/en/2023/10/").content.decode()
    assert "Archive: October 2023" in page
    assert 'href="/en/2023/10/02/">2<span class="visually-hidden"> (2 press releases)' in page
    assert 'Friday, October 20, 2023</a> <span class="count">1 press release</span>' in page
    assert 'rel="next" href="/en/2023/11/"' in page
    assert 'rel="prev" href="/en/2023/09/"' in page


def test_date_picker_redirects_to_the_day(client, clock):
    response = client.get("/zh-hant/go/", {"date": "2023-10-02"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/2023/10/02/"
    assert client.get("/en/go/", {"date": "2023-10-32"}).status_code == 404


def test_release_page_shows_the_release(client, clock):
    release = make_release(
        hong_kong(2023, 11, 3, 16, 0),
        title="Sample: exhibition opens (with photos)",
        body=(
            Block(BlockKind.PARAGRAPH, text="The Sample Department opened a sample exhibition."),
            Block(BlockKind.HEADING, text="Sample details"),
        ),
    )
    add_category(release)
    add_photos(release, ["Sample: the opening", "Sample: the hall"], ["樣本：開幕", "樣本：展廳"],
               with_images=1)  # fmt: skip
    page = client.get("/en/2023/11/03/" + release.reference + "/").content.decode()
    assert "<h1>Sample: exhibition opens (with photos)</h1>" in page
    assert "<p>The Sample Department opened a sample exhibition.</p>" in page
    assert "<h2>Sample details</h2>" in page
    assert "Ends/Friday, November 3, 2023<br>Issued at HKT 16:00" in page
    assert "<dd>Sample Department</dd>" in page and "<dd>Sample topic</dd>" in page
    image_url = settings.MEDIA_URL + release.photos.get(position=1).image.name
    page_copy_url = image_url.rsplit(".", 1)[0] + ".page.webp"
    # The page shows the page-size rendition; "larger view" opens the original, both through
    # the public media route.
    assert (
        f'<a class="photo-link" href="{image_url}"><img src="{page_copy_url}" alt="Sample: the opening"'
        in page
    )
    assert "View larger image" in page
    assert "The image for this caption will be added later." in page
    assert "<figcaption>Sample: the hall</figcaption>" in page
    assert 'hreflang="zh-Hant-HK" lang="zh-Hant-HK">繁體中文</a>' in page
    # hreflang alternates are absolute (on PRESSROOM_BASE_URL), as search engines require.
    base = settings.PRESSROOM_BASE_URL
    assert (
        f'<link rel="alternate" hreflang="zh-Hans" href="{base}/zh-hans/2023/11/03/{release.reference}/">'
        in page
    )
    assert f'href="/en/2023/11/03/{release.reference}.txt"' in page


def test_release_page_in_chinese_has_chinese_closing_lines(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 16, 0))
    add_photos(release, ["Sample: the opening"], ["樣本：開幕"])
    traditional = client.get(release.get_absolute_url("zh-Hant")).content.decode()
    simplified = client.get(release.get_absolute_url("zh-Hans")).content.decode()
    assert "2023年11月3日（星期五）<br>香港時間16時00分" in traditional
    assert "<figcaption>樣本：開幕</figcaption>" in traditional
    assert "<dd>樣本部門</dd>" in traditional
    assert "香港时间16时00分" in simplified and "<dd>样本部门</dd>" in simplified


def test_release_without_a_stated_time_omits_the_issued_line(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 0, 0), issue_time_stated=False)
    page = client.get(release.get_absolute_url("en")).content.decode()
    assert "Ends/Friday, November 3, 2023</p>" in page
    assert "Issued at" not in page


def test_withdrawn_release_says_so_with_the_reason(client, clock):
    release = make_release(
        hong_kong(2023, 11, 3, 16, 0),
        state=ReleaseState.WITHDRAWN,
        withdrawal_reason="Sample reason: issued in error.",
        withdrawn_at=hong_kong(2023, 11, 3, 17, 0),
    )
    page = client.get(release.get_absolute_url("en")).content.decode()
    assert "This press release has been withdrawn." in page
    assert "Sample reason: issued in error." in page
    assert "Withdrawn: Friday, November 3, 2023, 17:00 HKT" in page
    assert '<span class="mark mark-withdrawn">Withdrawn</span>' in client.get("/").content.decode()


def test_corrected_release_shows_the_note_and_time(client, clock):
    release = make_release(
        hong_kong(2023, 11, 3, 16, 0),
        state=ReleaseState.CORRECTED,
        correction_note="Sample correction: the venue is Hall 2.",
        corrected_at=hong_kong(2023, 11, 3, 17, 30),
    )
    page = client.get(release.get_absolute_url("zh-Hant")).content.decode()
    assert "Sample correction: the venue is Hall 2." in page
    assert "更正時間：2023年11月3日（星期五） 香港時間17時30分" in page


def test_wrong_date_or_source_reference_redirects_permanently(client, clock):
    release = make_release(
        hong_kong(2023, 11, 3, 16, 0), reference="P2023110300392",
        source_reference_en="P2023110300392", source_reference_zh="P2023110300391",
    )  # fmt: skip
    wrong_day = client.get("/en/2023/11/01/P2023110300392/")
    assert wrong_day.status_code == 301
    assert wrong_day["Location"] == release.get_absolute_url("en")
    by_chinese_reference = client.get("/zh-hant/2023/11/03/P2023110300391/")
    assert by_chinese_reference.status_code == 301
    assert by_chinese_reference["Location"] == "/zh-hant/2023/11/03/P2023110300392/"


def test_a_language_the_release_lacks_is_a_404_listing_the_ones_it_has(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 16, 0), title_zh=None)
    response = client.get(f"/zh-hant/2023/11/03/{release.reference}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "本新聞公報沒有此語文版本。" in page
    assert f'href="/en/2023/11/03/{release.reference}/"' in page


def test_times_are_hong_kong_times_whatever_the_server_zone(client, clock, settings):
    settings.TIME_ZONE = "UTC"
    timezone.deactivate()
    make_release(hong_kong(2023, 11, 3, 7, 45))  # 23:45 UTC on November 2
    page = client.get("/en/2023/11/03/").content.decode()
    assert ">07:45</time>" in page
