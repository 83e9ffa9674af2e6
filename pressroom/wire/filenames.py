"""What a file's name says about the release it holds.

A release page lives at /gia/general/YYYYMM/DD/<ref>.htm, where <ref> is "P", the date the
release was prepared (YYYYMMDD) and a serial: 4 digits before 2012 (P201101280267), 5 since
(P2019110100500). Chinese pages sometimes add "p" (P2020012000251p.htm); print views end in
_print.htm, photo pop-ups in _photo_<n>.htm; weather bulletins live under /gia/wr/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath, PurePosixPath, PureWindowsPath

from pressroom.wire.model import PageKind

_REFERENCE_NAME = re.compile(
    r"^(?P<reference>P(?P<date>\d{8})(?P<serial>\d{4,5}))(?P<chinese>p)?"
    r"(?P<tail>_print|_photo_(?P<photo>\d+))?\.(?:htm|html|txt)$",
    re.I,
)


def _name_of(name: str | PurePath) -> str:
    text = str(name)
    return PureWindowsPath(text).name if "\\" in text else PurePosixPath(text).name


def is_reference(text: str) -> bool:
    """A well-formed reference: P, a real date, and the serial length of its era."""
    match = re.fullmatch(r"P(\d{8})(\d{4,5})", text)
    if not match:
        return False
    try:
        prepared = dt.datetime.strptime(match[1], "%Y%m%d").date()
    except ValueError:
        return False
    return len(match[2]) == (4 if prepared.year < 2012 else 5)


def reference_from_filename(name: str | PurePath) -> tuple[str | None, PageKind, int | None]:
    """(reference or None, the page kind the name suggests, the photo number or None).

    The reference is normalised: upper-case P, no "p" suffix, no _print / _photo_<n> tail.
    Names that hold no valid reference (the seed's 000_794770668342d17e.txt) give None.
    """
    kind = PageKind.WEATHER if "/gia/wr/" in str(name).replace("\\", "/") else PageKind.RELEASE
    match = _REFERENCE_NAME.match(_name_of(name))
    if not match:
        return None, kind, None
    reference = "P" + match["reference"][1:]
    if not is_reference(reference):
        return None, kind, None
    if match["photo"]:
        return reference, PageKind.PHOTO, int(match["photo"])
    return reference, kind, None
