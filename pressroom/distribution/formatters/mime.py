"""A release's e-mail as MIME bytes made once per release and language; each recipient's message
only adds its own headers and footer.

Building a message through Django's `EmailMultiAlternatives` (and the email package's generator)
cost most of a mail's CPU in the worker, and all of it but the footer and a few headers is the
same for every subscriber. `ReleaseTemplate` encodes the shared parts once; `RecipientMail`
joins them with the recipient's To:, Message-ID, X-Pressroom-Delivery, List-Unsubscribe
(RFC 8058 one-click) and footer (text and HTML, with the unsubscribe link). Quoted-printable
works line by line, so encoding the shared part and the footer apart, each ending a line, gives
the same bytes as encoding them together; parts with a line too long for SMTP (998 octets) are
sent quoted-printable, others as 8bit, as Django does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from email import message_from_bytes, quoprimime
from email.utils import formatdate

from django.conf import settings
from django.core.mail.message import forbid_multi_line_headers, sanitize_address

from pressroom.releases.limits import one_line

SMTP_LINE_LIMIT = 998


def plain_address(address: str) -> bool:
    """An address that needs no encoding in a header and cannot break one (else Django's path)."""
    return address.isascii() and address.isprintable() and "," not in address and "<" not in address


def _too_long(text: str) -> bool:
    return any(len(line.encode()) > SMTP_LINE_LIMIT for line in text.split("\n"))


def _encode(text: str, quoted_printable: bool) -> bytes:
    if quoted_printable:
        latin = text.encode("utf-8").decode("latin-1")
        return quoprimime.body_encode(latin, eol="\r\n").encode("ascii")
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def _ending_a_line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _after_line_end(footer: str) -> str:
    """The footer as it follows shared text that now ends its line (one newline less)."""
    return footer[1:] if footer.startswith("\n") else footer


def _header(name: str, value: str) -> str:
    """A header value encoded as Django encodes it (RFC 2047 when not ASCII), CRLF folded; made
    one line first, so no stored text (a title from before the input checks) can end it."""
    value = one_line(value)
    return forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)[1].replace("\n", "\r\n")


@dataclass
class _Part:
    """One text part: shared text before the footer (and after it, for HTML), encoded lazily."""

    content_type: str
    before: str
    after: str = ""
    _encoded: dict = field(default_factory=dict)

    def encoded(self, footer: str) -> bytes:
        quoted = _too_long(self.before) or _too_long(self.after) or _too_long(footer)
        if quoted not in self._encoded:
            head = (
                f'Content-Type: {self.content_type}; charset="utf-8"\r\n'
                f"Content-Transfer-Encoding: {'quoted-printable' if quoted else '8bit'}\r\n\r\n"
            ).encode("ascii")
            self._encoded[quoted] = (
                head,
                _encode(self.before, quoted),
                _encode(self.after, quoted),
            )
        head, before, after = self._encoded[quoted]
        return head + before + _encode(footer, quoted) + after


class ReleaseTemplate:
    """What every recipient of one release in one language shares, ready as bytes."""

    def __init__(self, subject: str, text: str, html: str, reference: str) -> None:
        self.subject = subject
        self.text = text
        self.html = html
        self.reference = reference
        self.from_email = settings.DEFAULT_FROM_EMAIL
        self.envelope_from = sanitize_address(self.from_email, settings.DEFAULT_CHARSET)
        self.boundary = f"==pressroom-{secrets.token_hex(16)}=="
        self._subject_header = _header("Subject", subject)
        self._from_header = _header("From", self.from_email)
        self.reference_header = _header("X-Pressroom-Release", reference)
        split = html.rfind("</body>")
        html_before, html_after = (html, "") if split < 0 else (html[:split], html[split:])
        self._text_part = _Part("text/plain", _ending_a_line(text))
        self._html_part = _Part("text/html", _ending_a_line(html_before), html_after)

    def for_recipient(self, to: str, key: str, message_id: str, unsubscribe_url: str,
                      footer_text: str, footer_html: str) -> RecipientMail:  # fmt: skip
        return RecipientMail(self, to, key, message_id, unsubscribe_url, footer_text, footer_html)


class RecipientMail:
    """One subscriber's message. Reads like Django's EmailMessage where tests look (to, body,
    extra_headers, message()); the e-mail channel sends `as_bytes()` to `recipients()`."""

    def __init__(self, template: ReleaseTemplate, to: str, key: str, message_id: str,
                 unsubscribe_url: str, footer_text: str, footer_html: str) -> None:  # fmt: skip
        self.template = template
        self.to = [to]
        self.from_email = template.from_email
        self.subject = template.subject
        self.footer_text = footer_text
        self.footer_html = footer_html
        self.extra_headers = {
            "Message-ID": message_id,
            "X-Pressroom-Delivery": key,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Pressroom-Release": template.reference_header,
        }

    @property
    def body(self) -> str:
        return _ending_a_line(self.template.text) + _after_line_end(self.footer_text)

    def recipients(self) -> list[str]:
        return self.to

    def as_bytes(self) -> bytes:
        template = self.template
        headers = [
            f"From: {template._from_header}",
            f"To: {self.to[0]}",
            f"Subject: {template._subject_header}",
            f"Date: {formatdate(usegmt=True)}",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{template.boundary}"',
            *(f"{name}: {value}" for name, value in self.extra_headers.items()),
        ]
        boundary = f"--{template.boundary}".encode("ascii")
        return b"".join([
            "\r\n".join(headers).encode("ascii"), b"\r\n\r\n",
            boundary, b"\r\n", template._text_part.encoded(_after_line_end(self.footer_text)),
            b"\r\n", boundary, b"\r\n", template._html_part.encoded(self.footer_html + "\n"),
            b"\r\n", boundary, b"--\r\n",
        ])  # fmt: skip

    def message(self):
        """The message as the email package reads it (for inspection; sending uses bytes)."""
        return message_from_bytes(self.as_bytes())
