"""The admin edits a body as wire-format text and stores it as blocks (the one safe form)."""

from __future__ import annotations

from django import forms

from pressroom.releases import limits
from pressroom.releases.languages import Language
from pressroom.releases.limits import TextRefused
from pressroom.releases.models import ReleaseVersion
from pressroom.wire.model import Block, BlockKind


def body_as_text(version: ReleaseVersion) -> str:
    """The body as a person edits it: one block per paragraph, blank lines between."""
    from pressroom.wire import body_text

    return body_text.render_body(version.blocks, version.language)


def blocks_from_text(text: str, language: str) -> list[Block]:
    from pressroom.wire import body_text

    return body_text.parse_body(text, language)


class ReleaseVersionForm(forms.ModelForm):
    body_text = forms.CharField(
        label="body",
        widget=forms.Textarea(attrs={"rows": 16, "style": "width:100%;font-family:monospace"}),
        required=False,
        help_text="Paragraphs separated by an empty line. Lines starting with '- ', '* ' or "
        "'1.' are list items; 'Label : value' lines form a table; a line of 57 hyphens is a "
        "section rule.",
    )

    class Meta:
        model = ReleaseVersion
        fields = ["language", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (Language.EN.value, Language.EN.label),
            (Language.ZH_HANT.value, Language.ZH_HANT.label),
        ]
        if self.instance.pk:
            self.initial["body_text"] = body_as_text(self.instance)

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("language") or Language.EN
        try:
            text = limits.multi_line("body", cleaned.get("body_text", ""), limits.BODY_MAX_CHARS)
            cleaned["blocks"] = blocks_from_text(text, language)
            limits.body("body", cleaned["blocks"])
        except TextRefused as refused:
            self.add_error("body_text", f"This field {refused.reason}.")
        return cleaned

    def save(self, commit=True):
        self.instance.body = [block.to_dict() for block in self.cleaned_data["blocks"]]
        return super().save(commit=commit)


__all__ = ["ReleaseVersionForm", "body_as_text", "blocks_from_text", "Block", "BlockKind"]
