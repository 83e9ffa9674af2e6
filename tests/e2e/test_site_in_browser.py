"""The public site in a real browser: what a reader sees, and that it passes axe-core."""

from __future__ import annotations

import pytest

from pressroom.wire.model import Block, BlockKind
from tests.support.browser import assert_accessible
from tests.support.clock import NOW, hong_kong
from tests.support.factories import add_category, add_photos, make_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_landmarks(page) -> None:
    assert page.locator("header.site-header").count() == 1
    assert page.locator("main#main").count() == 1
    assert page.locator("footer.site-footer").count() == 1
    assert page.locator("h1").count() == 1
    assert page.locator("a.skip-link").get_attribute("href") == "#main"


@pytest.fixture
def sample_day(time_machine):
    # tick: the live server and the browser need a clock that moves.
    time_machine.move_to(NOW, tick=True)
    make_release(hong_kong(2023, 11, 2, 11, 0), title="Sample: yesterday's notice")
    make_release(hong_kong(2023, 11, 3, 10, 30), title="Sample: road works notice",
                 title_zh="樣本：道路工程通告")  # fmt: skip
    release = make_release(
        hong_kong(2023, 11, 3, 16, 0),
        title="Sample: trade exhibition opens (with photos)",
        title_zh="樣本：貿易展覽開幕（附圖）",
        body=(
            Block(
                BlockKind.PARAGRAPH,
                text="The Sample Department today opened a sample trade "
                "exhibition, which runs until the end of the month.",
            ),  # fmt: skip
            Block(BlockKind.LIST, lines=("- Venue: Sample Hall", "- Admission: free")),
            Block(BlockKind.PARAGRAPH, text="Members of the public are welcome."),
        ),
        body_zh=(Block(BlockKind.PARAGRAPH, text="樣本部門今日為樣本貿易展覽揭幕，展期至月底。"),),
    )
    add_category(release)
    add_photos(
        release,
        ["Sample: the opening ceremony.", "Sample: visitors at the exhibition."],
        ["樣本：開幕典禮。", "樣本：參觀展覽的市民。"],
        with_images=1,
    )
    return release


def test_reader_walks_the_site(live_server, page, screenshot, sample_day):
    release = sample_day

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Today's Press Releases"
    titles = page.locator(".release-title a").all_inner_texts()
    assert titles == ["Sample: trade exhibition opens (with photos)", "Sample: road works notice"]
    assert page.locator(".release-time time").all_inner_texts() == ["16:00", "10:30"]
    assert_landmarks(page)
    assert_accessible(page)
    screenshot("home")

    page.get_by_role("link", name="2 (1 press release)").click()
    page.wait_for_url("**/en/2023/11/02/")
    assert "Press releases of Thursday, November 2, 2023" in page.locator("h1").inner_text()
    assert page.locator(".release-title a").all_inner_texts() == ["Sample: yesterday's notice"]
    assert_accessible(page)
    screenshot("day-index")

    page.goto(live_server.url + "/en/2023/11/03/")
    page.get_by_role("link", name="Sample: trade exhibition opens (with photos)").click()
    page.wait_for_url("**" + release.get_absolute_url("en"))
    assert page.locator("h1").inner_text() == "Sample: trade exhibition opens (with photos)"
    assert page.locator(".release-body li").all_inner_texts() == [
        "Venue: Sample Hall",
        "Admission: free",
    ]
    assert "Ends/Friday, November 3, 2023" in page.locator(".closing").inner_text()
    image = page.locator(".photo-grid img")
    assert image.get_attribute("alt") == "Sample: the opening ceremony."
    # Loaded (the browser decodes it after the page's load event on a busy machine: wait for it).
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=15_000
    )
    assert page.locator("figcaption").all_inner_texts() == [
        "Sample: the opening ceremony.",
        "Sample: visitors at the exhibition.",
    ]
    assert_landmarks(page)
    assert_accessible(page)
    screenshot("release-en")

    page.locator(".other-languages").get_by_role("link", name="繁體中文").click()
    page.wait_for_url("**" + release.get_absolute_url("zh-Hant"))
    assert page.locator("html").get_attribute("lang") == "zh-Hant-HK"
    assert page.locator("h1").inner_text() == "樣本：貿易展覽開幕（附圖）"
    assert "香港時間16時00分" in page.locator(".closing").inner_text()
    assert page.get_by_role("link", name="檢視大圖").count() == 1
    assert_accessible(page)
    screenshot("release-zh-hant")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("release-zh-hant-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("navigation", name="主選單").get_by_role("link", name="新聞公報檔案").click()
    page.wait_for_url("**/zh-hant/2023/11/")
    assert page.locator("h1").inner_text() == "新聞公報檔案：2023年11月"
    assert page.locator(".month-grid a[href$='/2023/11/03/']").count() == 1
    assert page.locator(".month-grid a[href$='/2023/11/05/']").count() == 0
    assert_accessible(page)
    screenshot("calendar-zh-hant")

    page.get_by_role("link", name="上一個月").click()
    page.wait_for_url("**/zh-hant/2023/10/")
    page.get_by_label("前往指定日期").fill("2023-11-02")
    page.get_by_role("button", name="前往").click()
    page.wait_for_url("**/zh-hant/2023/11/02/")
    assert page.locator(".release-title a").count() == 1


def test_unknown_address_shows_the_styled_404(live_server, page, screenshot, sample_day):
    response = page.goto(live_server.url + "/en/2023/02/30/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_landmarks(page)
    assert_accessible(page)
    screenshot("not-found")


def test_pages_read_without_javascript(live_server, chromium, sample_day):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + sample_day.get_absolute_url("zh-Hans"))
        assert page.locator("h1").inner_text() == "样本：贸易展览开幕（附图）"
        assert "香港时间16时00分" in page.locator(".closing").inner_text()
    finally:
        context.close()
