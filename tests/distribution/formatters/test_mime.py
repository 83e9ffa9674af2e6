"""A release mail built from the shared MIME bytes reads, once parsed, as the one Django builds
whole: same headers, same text and HTML with the recipient's footer and unsubscribe link."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import pytest

from pressroom.distribution.formatters import email as email_format
from pressroom.distribution.formatters.mime import RecipientMail

SHORT_LINES = "Sample: first paragraph.\n\nSample: 第二段。"
LONG_LINE = "Sample: " + "長" * 600  # over SMTP's 998-octet line limit: quoted-printable


def sample_mail(text: str) -> email_format.ReleaseMail:
    return email_format.ReleaseMail(
        subject="Sample: 樣本新聞公報 with a subject long enough to be folded over lines",
        text=text,
        html="<!doctype html><html><body>\n<p>Sample: 樣本</p>\n</body>\n</html>\n",
        language="zh-hant",
        reference="SAMPLE-0001",
    )


def footer(email: str) -> email_format.Footer:
    return email_format.Footer(email=email, what="Sample Department", language="zh-hant",
                               unsubscribe_url="http://127.0.0.1:8000/unsubscribe/sample-token/")  # fmt: skip


def leaves(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content().replace("\r\n", "\n").replace("\n", "")
        for part in message.walk()
        if not part.is_multipart()
    }


@pytest.mark.parametrize("text", [SHORT_LINES, LONG_LINE], ids=["8bit", "quoted-printable"])
def test_the_shared_bytes_give_the_message_django_would_build(settings, text):
    settings.PRESSROOM_BASE_URL = "http://127.0.0.1:8000"
    mail = sample_mail(text)
    fast = email_format.release_message(mail, "sample-key", footer("reader@example.test"),
                                        email_format.release_template(mail))  # fmt: skip
    whole = email_format.release_message(mail, "sample-key", footer("reader@example.test"))
    assert isinstance(fast, RecipientMail)
    raw = fast.as_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    parsed = message_from_bytes(raw, policy=default)
    expected = message_from_bytes(whole.message().as_bytes(), policy=default)
    for name in ("From", "To", "Subject", "Message-ID", "X-Pressroom-Delivery", "X-Pressroom-Release",
                 "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted"):  # fmt: skip
        assert str(parsed[name]).strip() == str(expected[name]).strip(), name
    assert parsed["Cc"] is None and parsed["Bcc"] is None
    assert leaves(parsed) == leaves(expected)
    assert "/unsubscribe/sample-token/" in leaves(parsed)["text/plain"]
    assert 'href="http://127.0.0.1:8000/unsubscribe/sample-token/"' in leaves(parsed)["text/html"]
    assert fast.body == whole.body


def test_each_recipient_gets_only_their_own_footer(settings):
    mail = sample_mail(SHORT_LINES)
    template = email_format.release_template(mail)
    first = email_format.release_message(
        mail, "key-1", footer("one@example.test"), template
    ).as_bytes()
    second = email_format.release_message(
        mail, "key-2", footer("two@example.test"), template
    ).as_bytes()
    assert b"one@example.test" in first and b"two@example.test" not in first
    assert b"<key-2@" in second and b"key-1" not in second


def test_an_address_that_needs_encoding_is_built_whole_by_django():
    mail = sample_mail(SHORT_LINES)
    message = email_format.release_message(
        mail, "key", footer("讀者@example.test"), email_format.release_template(mail)
    )
    assert not isinstance(message, RecipientMail)
    assert message.to == ["讀者@example.test"]
