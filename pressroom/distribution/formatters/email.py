"""Subscriber e-mail: a release (or a digest) as text and HTML, with photos linked, not attached.

The release part of a message is the same for every subscriber in one language, so it is made
once per batch (`ReleaseMail`) and each message only adds its own footer: who it was sent to,
why, and the unsubscribe link (also in the List-Unsubscribe header, RFC 8058 one-click).
Every message has exactly one recipient in To: and no Cc or Bcc, so nobody learns who else
subscribes. Stored text goes into a header made one line (`limits.one_line`): a title stored
with a line break, before the entrances refused one, once stopped every mail of its release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from pressroom.distribution.formatters.mime import RecipientMail, ReleaseTemplate, plain_address
from pressroom.media.links import public_photos, public_url
from pressroom.releases.chinese import to_simplified
from pressroom.releases.html import body_html
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.limits import one_line
from pressroom.releases.models import HONG_KONG, Release
from pressroom.wire.plain_text import plain_text

ENGLISH = {
    "issued": "Issued at {time} (Hong Kong time)",
    "read_online": "Read it online",
    "photos": "Photos",
    "photo": "Photo {n}",
    "why": "You receive this because {email} subscribed to {what} at {site}.",
    "unsubscribe": "Unsubscribe",
    "digest_daily": "Press releases of the day",
    "digest_weekly": "Press releases of the week",
    "confirm_subject": "Confirm your subscription to press releases",
    "confirm_text": "Someone (we hope you) asked to receive press releases at this address. "
    "To confirm, open this link within 7 days:",
    "confirm_ignore": "If it was not you, ignore this message: nothing will be sent.",
    "corrected_subject": "Correction: {title}",
    "corrected_text": "The press release \u201c{title}\u201d ({reference}), issued at {time} (Hong Kong "
    "time), which we sent you, has been corrected.",
    "corrected_note": "Correction",
    "read_corrected": "Read the corrected release",
    "withdrawn_subject": "Withdrawn: {title}",
    "withdrawn_text": "The press release \u201c{title}\u201d ({reference}), issued at {time} (Hong Kong "
    "time), which we sent you, has been withdrawn. Please disregard it.",
    "withdrawn_reason": "Reason",
    "read_notice": "Notice",
}
TRADITIONAL = {
    "issued": "香港時間 {time} 發出",
    "read_online": "網上閱讀",
    "photos": "圖片",
    "photo": "圖片 {n}",
    "why": "由於 {email} 在 {site} 訂閱了{what}，您收到此電郵。",
    "unsubscribe": "取消訂閱",
    "digest_daily": "本日新聞公報",
    "digest_weekly": "本週新聞公報",
    "confirm_subject": "請確認訂閱新聞公報",
    "confirm_text": "有人（希望是您）要求以此地址接收新聞公報。請於七日內開啟以下連結確認：",
    "confirm_ignore": "如非您本人要求，請略去此電郵，我們不會發出任何郵件。",
    "corrected_subject": "更正：{title}",
    "corrected_text": "我們早前寄給您的新聞公報「{title}」（{reference}，香港時間 {time} 發出）已經更正。",
    "corrected_note": "更正",
    "read_corrected": "閱讀更正後的新聞公報",
    "withdrawn_subject": "撤回：{title}",
    "withdrawn_text": "我們早前寄給您的新聞公報「{title}」（{reference}，香港時間 {time} 發出）已經撤回，請勿理會。",
    "withdrawn_reason": "原因",
    "read_notice": "通告",
}


@cache
def labels(language: str) -> dict[str, str]:
    if language == Language.EN:
        return ENGLISH
    if language == Language.ZH_HANS:
        return {key: to_simplified(value) for key, value in TRADITIONAL.items()}
    return TRADITIONAL


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.PRESSROOM_BASE_URL + path


def message_id(key: str) -> str:
    host = urlsplit(settings.PRESSROOM_BASE_URL).hostname or "pressroom.invalid"
    return f"<{key}@{host}>"


@dataclass(frozen=True)
class Footer:
    email: str
    what: str
    unsubscribe_url: str
    language: str

    def text(self) -> str:
        words = labels(self.language)
        why = words["why"].format(
            email=self.email, what=self.what, site=settings.PRESSROOM_BASE_URL
        )
        return f"\n\n-- \n{why}\n{words['unsubscribe']}: {self.unsubscribe_url}\n"

    def html(self) -> str:
        words = labels(self.language)
        why = words["why"].format(
            email=escape(self.email),
            what=escape(self.what),
            site=escape(settings.PRESSROOM_BASE_URL),
        )
        return (
            f'<hr><p style="font-size:small;color:#555">{why}<br>'
            f'<a href="{escape(self.unsubscribe_url)}">{words["unsubscribe"]}</a></p>'
        )


@dataclass(frozen=True)
class ReleaseMail:
    """The parts of a release's e-mail shared by every subscriber in one language."""

    subject: str
    text: str
    html: str
    language: str
    reference: str

    @classmethod
    def of(cls, release: Release, language: str) -> ReleaseMail:
        if release.version(language) is None:
            language = release.default_language()
        version = release.version(language)
        words = labels(language)
        url = absolute(release.get_absolute_url(language))
        issued = words["issued"].format(
            time=f"{timezone.localtime(release.issue_instant, HONG_KONG):%Y-%m-%d %H:%M}"
        )
        photos = _photos(release, language, url)
        department = release.department.name(language) if release.department else ""
        text_lines = [version.title, "", *([department] if department else []), issued, ""]
        text_lines.append(plain_text(version.blocks))
        if photos:
            text_lines += ["", words["photos"] + ":"]
            text_lines += [f"- {caption}: {href}" for caption, href in photos]
        text_lines += ["", f"{words['read_online']}: {url}"]
        html = render_to_string(
            "distribution/email/release.html",
            {
                "html_lang": HTML_LANG[Language(language)],
                "title": version.title,
                "department": department,
                "issued": issued,
                "body": body_html(version.blocks),
                "photos": photos,
                "words": words,
                "url": url,
                "correction_note": release.correction_note,
            },
        )
        return cls(subject=version.title, text="\n".join(text_lines), html=html, language=language,
                   reference=release.reference)  # fmt: skip


def notice_mail(release: Release, language: str, withdrawn: bool) -> ReleaseMail:
    """A short notice to subscribers who got `release` by e-mail: it was corrected (with the
    note and a link to the corrected text) or withdrawn (with the reason)."""
    if release.version(language) is None:
        language = release.default_language()
    title = release.version(language).title
    words = labels(language)
    when = f"{timezone.localtime(release.issue_instant, HONG_KONG):%Y-%m-%d %H:%M}"
    what = "withdrawn" if withdrawn else "corrected"
    opening = words[f"{what}_text"].format(title=title, reference=release.reference, time=when)
    note = release.withdrawal_reason if withdrawn else release.correction_note
    note_label = words["withdrawn_reason" if withdrawn else "corrected_note"]
    url = absolute(release.get_absolute_url(language))
    link_label = words["read_notice" if withdrawn else "read_corrected"]
    text = [opening, ""]
    html = [f"<p>{escape(opening)}</p>"]
    if note:
        text += [f"{note_label}: {note}", ""]
        html.append(f"<p><strong>{escape(note_label)}:</strong> {escape(note)}</p>")
    text.append(f"{link_label}: {url}")
    html.append(f'<p><a href="{escape(url)}">{escape(link_label)}</a></p>')
    document = (
        f'<!doctype html><html lang="{HTML_LANG[Language(language)]}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{''.join(html)}</body></html>"
    )
    return ReleaseMail(subject=words[f"{what}_subject"].format(title=title), text="\n".join(text),
                       html=document, language=language, reference=release.reference)  # fmt: skip


def _photos(release: Release, language: str, page_url: str) -> list[tuple[str, str]]:
    """(caption, address) for each photo: the image file, or the photo on the release page."""
    words = labels(language)
    photos = []
    for photo in public_photos(release):
        text = photo.text(language)
        caption = (text.caption if text else "") or words["photo"].format(n=photo.position)
        href = absolute(public_url(photo)) if photo.image else f"{page_url}#photo-{photo.position}"
        photos.append((caption, href))
    return photos


def _headers(key: str, unsubscribe_url: str) -> dict[str, str]:
    return {
        "Message-ID": message_id(key),
        "X-Pressroom-Delivery": key,
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def build_message(
    to: str, subject: str, text: str, html: str, key: str, footer: Footer
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text + footer.text(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=_headers(key, footer.unsubscribe_url),
    )
    message.attach_alternative(html.replace("</body>", footer.html() + "</body>"), "text/html")
    return message


def release_template(mail: ReleaseMail) -> ReleaseTemplate:
    """The MIME bytes every recipient of `mail` shares (made once per batch, release, language)."""
    return ReleaseTemplate(mail.subject, mail.text, mail.html, mail.reference)


def release_message(
    mail: ReleaseMail, key: str, footer: Footer, template: ReleaseTemplate | None = None
) -> EmailMultiAlternatives | RecipientMail:
    """One recipient's message: from the shared `template` when given and the address needs no
    encoding (the common case, a fraction of the CPU), else built whole through Django."""
    if template is not None and plain_address(footer.email):
        return template.for_recipient(footer.email, key, message_id(key), footer.unsubscribe_url,
                                      footer.text(), footer.html())  # fmt: skip
    message = build_message(footer.email, mail.subject, mail.text, mail.html, key, footer)
    message.extra_headers["X-Pressroom-Release"] = one_line(mail.reference)
    return message


def digest_message(
    releases: list[Release], weekly: bool, key: str, footer: Footer
) -> EmailMultiAlternatives:
    words = labels(footer.language)
    heading = words["digest_weekly" if weekly else "digest_daily"]
    items = []
    for release in releases:
        language = (
            footer.language if release.version(footer.language) else release.default_language()
        )
        when = timezone.localtime(release.issue_instant, HONG_KONG)
        items.append(
            {
                "title": release.version(language).title,
                "url": absolute(release.get_absolute_url(language)),
                "when": f"{when:%Y-%m-%d %H:%M}",
            }
        )
    text = heading + "\n\n" + "\n\n".join(f"{i['when']}  {i['title']}\n{i['url']}" for i in items)
    html = render_to_string(
        "distribution/email/digest.html",
        {"html_lang": HTML_LANG[Language(footer.language)], "heading": heading, "items": items},
    )
    return build_message(footer.email, heading, text, html, key, footer)


def confirmation_message(email: str, language: str, confirm_url: str) -> EmailMultiAlternatives:
    words = labels(language)
    text = f"{words['confirm_text']}\n\n{confirm_url}\n\n{words['confirm_ignore']}\n"
    html = (
        f'<!doctype html><html lang="{HTML_LANG[Language(language)]}"><body>'
        f'<p>{escape(words["confirm_text"])}</p><p><a href="{escape(confirm_url)}">'
        f"{escape(confirm_url)}</a></p><p>{escape(words['confirm_ignore'])}</p></body></html>"
    )
    message = EmailMultiAlternatives(
        subject=words["confirm_subject"],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def period_start(due_at: dt.datetime, weekly: bool) -> dt.datetime:
    return due_at - dt.timedelta(days=7 if weekly else 1)
