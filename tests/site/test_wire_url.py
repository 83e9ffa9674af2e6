import pytest

from pressroom.releases.wire_text import wire_text
from tests.support.clock import hong_kong
from tests.support.factories import add_photos, make_release

pytestmark = pytest.mark.django_db


def test_wire_text_is_plain_utf8_text_at_its_own_url(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 16, 0), title="Sample: exhibition opens")
    add_photos(release, ["Sample: the opening"], ["樣本：開幕"])
    response = client.get(f"/en/2023/11/03/{release.reference}.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text == wire_text(release, "en")
    assert text.startswith("Sample: exhibition opens\n")
    assert "Ends/Friday, November 3, 2023" in text and "Issued at HKT 16:00" in text


def test_chinese_wire_text(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 16, 0), title_zh="樣本：展覽開幕")
    text = client.get(release.get_wire_url("zh-Hans")).content.decode("utf-8")
    assert "样本：展览开幕" in text and "香港时间16时00分" in text


def test_wire_text_under_a_wrong_date_redirects(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 16, 0))
    response = client.get(f"/en/2023/11/02/{release.reference}.txt")
    assert response.status_code == 301
    assert response["Location"] == release.get_wire_url("en")


def test_wire_text_in_a_missing_language_is_a_404(client, clock):
    release = make_release(hong_kong(2023, 11, 3, 16, 0), title_zh=None)
    assert client.get(f"/zh-hant/2023/11/03/{release.reference}.txt").status_code == 404
