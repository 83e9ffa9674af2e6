from __future__ import annotations

from django import forms

from pressroom.distribution.models import Frequency
from pressroom.releases.languages import Language
from pressroom.releases.models import Category, Department


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    language = forms.ChoiceField(label="Language", choices=Language.choices)
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )  # fmt: skip
    departments = forms.ModelMultipleChoiceField(
        label="Departments (none chosen: all releases)", required=False,
        queryset=Department.objects.all(), to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    categories = forms.ModelMultipleChoiceField(
        label="Categories", required=False, queryset=Category.objects.all(),
        to_field_name="slug", widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class EndpointForm(forms.Form):
    url = forms.URLField(label="Address (http or https)", max_length=500, assume_scheme="https")
    newsroom = forms.CharField(label="Newsroom", max_length=200, required=False)
    language = forms.ChoiceField(label="Language of the bodies", choices=Language.choices)
    accepts_embargo = forms.BooleanField(label="Accredited for embargoes", required=False)
