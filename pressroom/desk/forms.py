"""The desk's forms: composing a release (both written languages side by side, captions per
photo), the details a workflow move needs, the photo upload and the search filters."""

from __future__ import annotations

import datetime as dt

from django import forms

from pressroom.releases import limits
from pressroom.releases.limits import TextRefused
from pressroom.releases.models import HONG_KONG, Department, ReleaseState
from pressroom.workflow.content import LanguageContent, PhotoText, ReleaseContent, check_content
from pressroom.workflow.errors import WorkflowError

LANGUAGES = (("en", "English", "en"), ("zh-Hant", "Traditional Chinese", "zh"))


def caption_fields(positions) -> list[tuple[int, list[str]]]:
    return [
        (position, [f"caption_{key}_{position}" for _, _, key in LANGUAGES]
         + [f"alt_{key}_{position}" for _, _, key in LANGUAGES])
        for position in positions
    ]  # fmt: skip


def _title(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=limits.TITLE_MAX_CHARS,
                           validators=[limits.SingleLine(limits.TITLE_MAX_CHARS)])  # fmt: skip


def _body(label: str) -> forms.CharField:
    # No max_length: a browser would cut a pasted body short without a word.
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 18}),
                           validators=[limits.MultiLine(limits.BODY_MAX_CHARS)])  # fmt: skip


def _note() -> forms.CharField:
    return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           validators=[limits.MultiLine(limits.NOTE_MAX_CHARS)])  # fmt: skip


class ComposeForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), empty_label=None)
    title_en = _title("Title")
    body_en = _body("Body")
    title_zh = _title("標題 Title")
    body_zh = _body("內文 Body")
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    # Where check_content's field names ("zh-Hant.captions.3.alt_text") are on this form.
    FIELD_NAMES = {"title": "title_{key}", "body": "body_{key}", "caption": "caption_{key}_{position}",
                   "alt_text": "alt_{key}_{position}"}  # fmt: skip

    def __init__(self, *args, departments, photo_positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        positions = sorted(photo_positions)
        # Fields for photos past the limit are not even made: a form posted with a caption for
        # photo 5,000 is refused with the limit, not turned into 20,000 fields.
        self.photo_positions = [
            position for position in positions if 1 <= position <= limits.PHOTOS_MAX
        ]
        self.photos_past_the_limit = (
            positions[-1] if positions and positions[-1] > limits.PHOTOS_MAX else None
        )
        for position in self.photo_positions:
            for _, name, key in LANGUAGES:
                self.fields[f"caption_{key}_{position}"] = forms.CharField(
                    label=f"Caption ({name})",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    validators=[limits.MultiLine(limits.CAPTION_MAX_CHARS)],
                )
                self.fields[f"alt_{key}_{position}"] = forms.CharField(
                    label=f"Alt text ({name})", required=False, max_length=limits.ALT_TEXT_MAX_CHARS,
                    validators=[limits.SingleLine(limits.ALT_TEXT_MAX_CHARS)],
                    help_text="What the picture shows, for people who cannot see it.",
                )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if self.photos_past_the_limit:
            raise forms.ValidationError(
                f"Captions reach photo {self.photos_past_the_limit:,}; the limit is "
                f"{limits.PHOTOS_MAX} photos per release."
            )
        if not self.errors:
            # The limits that need the body parsed (its blocks), on the field they concern.
            try:
                check_content(self.content())
            except TextRefused as refused:
                self.add_refusal(refused)
            except WorkflowError:
                pass  # an unreadable body: the action says so, naming its line
        return cleaned

    def add_refusal(self, refused: TextRefused) -> None:
        """Show a refusal from check_content or the write path on the field it names."""
        language, _, rest = refused.field.partition(".")
        key = {language: key for language, _, key in LANGUAGES}.get(language)
        parts = rest.split(".")  # "title", or "captions", "3", "alt_text"
        name = self.FIELD_NAMES.get(parts[-1], "").format(
            key=key, position=parts[1] if len(parts) == 3 else ""
        )
        if key and name in self.fields:
            self.add_error(name, f"This field {refused.reason}.")
        else:
            self.add_error(None, str(refused))

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

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
    )

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

    comment = _note()
    note = _note()
    reason = _note()
    issue_instant = HongKongDateTimeField(required=False)
    expected_revision = forms.IntegerField(required=False, min_value=0)


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label="Photo (JPEG, PNG or WebP)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class PasteForm(forms.Form):
    wire_text = forms.CharField(
        label="Wire text", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class FilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *ReleaseState.choices])
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="Any department"
    )
    issued_from = forms.DateField(label="Issued from", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    issued_to = forms.DateField(
        label="to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
