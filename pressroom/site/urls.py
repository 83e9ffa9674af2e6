"""Stable, readable addresses: /<lang>/<YYYY>/<MM>/<DD>/<reference>/ and its .txt twin.

Converters only accept the shapes an address can have (a known language, four and two digits,
a reference of letters and digits); anything else never reaches a view and is a 404.
"""

from django.urls import path, register_converter

from pressroom.releases.languages import LanguageConverter
from pressroom.site import views


class DigitsConverter:
    """Digits kept as text, so the view can say whether they make a real date."""

    regex = r"\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class YearConverter(DigitsConverter):
    regex = r"\d{4}"


class ReferenceConverter(DigitsConverter):
    regex = r"[A-Za-z0-9]{1,32}"


register_converter(LanguageConverter, "site_lang")
register_converter(YearConverter, "site_yyyy")
register_converter(DigitsConverter, "site_dd")
register_converter(ReferenceConverter, "site_ref")

app_name = "site"

_DAY = "<site_lang:lang>/<site_yyyy:year>/<site_dd:month>/<site_dd:day>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("<site_lang:lang>/", views.today, name="today"),
    path("<site_lang:lang>/go/", views.jump_to_day, name="jump"),
    path("<site_lang:lang>/<site_yyyy:year>/<site_dd:month>/", views.month_index, name="month"),
    path(_DAY, views.day_index, name="day"),
    path(_DAY + "<site_ref:reference>/", views.release_page, name="release"),
    path(_DAY + "<site_ref:reference>.txt", views.release_wire, name="release-wire"),
]
