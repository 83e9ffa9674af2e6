"""The desk's forms: composing a release (both written languages side by side, captions per
photo), the details a workflow move needs, the photo upload and the search filters."""

from __future__ import annotations

import datetime as dt

from django import forms

from pressroom.releases.models import HONG_KONG, Department, ReleaseState
from pressroom.workflow.content import LanguageContent, PhotoText, ReleaseContent

LANGUAGES = (("en", "English", "en"), ("zh-Hant", "Traditional Chinese", "zh"))


def caption_fields(positions) -> list[tuple[int, list[str]]]:
    return [
        (position, [f"caption_{key}_{position}" for _, _, key in LANGUAGES]
         + [f"alt_{key}_{position}" for _, _, key in LANGUAGES])
        for position in positions
    ]  # fmt: skip


class ComposeForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), empty_label=None)
    title_en = forms.CharField(label="Title", required=False, max_length=500)
    body_en = forms.CharField(label="Body", required=False, widget=forms.Textarea(attrs={"rows": 18}))
    title_zh = forms.CharField(label="標題 Title", required=False, max_length=500)
    body_zh = forms.CharField(label="內文 Body", required=False, widget=forms.Textarea(attrs={"rows": 18}))
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, departments, photo_positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.photo_positions = list(photo_positions)
        for position in self.photo_positions:
            for _, name, key in LANGUAGES:
                self.fields[f"caption_{key}_{position}"] = forms.CharField(
                    label=f"Caption ({name})", required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
                self.fields[f"alt_{key}_{position}"] = forms.CharField(
                    label=f"Alt text ({name})", required=False, max_length=300,
                    help_text="What the picture shows, for people who cannot see it.",
                )  # fmt: skip

    def photo_rows(self):
        """Bound fields per photo, for the template: (position, [en caption, zh caption, ...])."""
        return [
            (position, [self[name] for name in names])
            for position, names in caption_fields(self.photo_positions)
        ]

    def content(self) -> ReleaseContent:
        data = self.cleaned_data
        content = ReleaseContent()
        for language, _, key in LANGUAGES:
            photos = {
                position: PhotoText(data.get(f"caption_{key}_{position}", ""),
                                    data.get(f"alt_{key}_{position}", ""))
                for position in self.photo_positions
            }  # fmt: skip
            content.languages[language] = LanguageContent(
                title=data.get(f"title_{key}", ""), body=data.get(f"body_{key}", ""), photos=photos
            )
        return content

    @staticmethod
    def initial_from(content: ReleaseContent, department_id, base_revision: int) -> dict:
        initial = {"department": department_id, "base_revision": base_revision}
        for language, _, key in LANGUAGES:
            text = content.languages.get(language) or LanguageContent()
            initial[f"title_{key}"] = text.title
            initial[f"body_{key}"] = text.body
            for position, photo in text.photos.items():
                initial[f"caption_{key}_{position}"] = photo.caption
                initial[f"alt_{key}_{position}"] = photo.alt_text
        return initial


class HongKongDateTimeField(forms.DateTimeField):
    """A datetime-local value, read as Hong Kong time (the desk's clock), stored as UTC."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            naive = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise forms.ValidationError("give a date and time like 2024-03-01 16:30") from None
        return naive.replace(tzinfo=HONG_KONG) if naive.tzinfo is None else naive


class MoveForm(forms.Form):
    """What any move may carry; the action says which part it needs."""

    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    issue_instant = HongKongDateTimeField(required=False)
    expected_revision = forms.IntegerField(required=False, min_value=0)


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label="Photo (JPEG, PNG or WebP)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class PasteForm(forms.Form):
    wire_text = forms.CharField(label="Wire text", required=False, widget=forms.Textarea(attrs={"rows": 8}))


class FilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *ReleaseState.choices])
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="Any department"
    )
    issued_from = forms.DateField(label="Issued from", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    issued_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
