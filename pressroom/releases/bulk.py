"""Rows inserted in bulk, for archive loads (the write path's `ContentWriter(use_bulk=True)`
and the search index it feeds), where bulk_create's work per field and row costs more than the
database takes to store them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

from pressroom.releases.models import Release
from pressroom.utils.binary_copy import Encoded, copy_rows

# Field types whose Python values the database drivers take as they are: everything else goes
# through the field's own get_db_prep_save (dates, JSON, ...).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    raw_columns: Sequence[str] = (),
):
    """Insert plain rows of `model` (values of the fields named by `columns`, in that order,
    then of the table's `raw_columns`, columns no field describes, in the database's own form:
    `Binary` on PostgreSQL).

    For archive loads, where bulk_create's work per field and row costs more than the database
    takes to store them: one prepared statement run over all rows (executemany) on SQLite, COPY
    in the binary format on PostgreSQL (`pressroom.utils.binary_copy`). Fields not named get
    their auto_now/auto_now_add instant or their default, as bulk_create would set them. No
    save() runs, no signal is sent, primary keys are not read back. `Encoded` values are
    written as they are (e.g. JSON text for a JSON field).
    """
    fields = [model._meta.get_field(name) for name in columns]
    now = timezone.now()
    extra = []  # the same for every row: converted once
    for field in model._meta.concrete_fields:
        automatic_key = field.primary_key and field.get_internal_type().endswith("AutoField")
        if field in fields or automatic_key:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        # get_default: the declared default, else "" or None as bulk_create would store.
        extra.append(field.get_db_prep_save(now if auto else field.get_default(), connection))
        fields.append(field)
    converters = [
        None
        if field.get_internal_type() in _PLAIN_TYPES
        else (lambda value, field=field: field.get_db_prep_save(value, connection))
        for field in fields[: len(columns)]
    ]
    converters += [None] * len(raw_columns)
    prepared = (
        [
            value if convert is None or isinstance(value, Encoded) else convert(value)
            for value, convert in zip(row, converters, strict=True)
        ]
        + extra
        for row in rows
    )
    table = model._meta.db_table
    named = [*(field.column for field in fields[: len(columns)]), *raw_columns]
    named += [field.column for field in fields[len(columns) :]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor and COPY: its errors are made Django's (IntegrityError, ...).
            with connection.wrap_database_errors:
                copy_rows(cursor.cursor, table, named, prepared, given=raw_columns)
        else:
            names = ", ".join(connection.ops.quote_name(name) for name in named)
            marks = ", ".join(["%s"] * len(named))
            table = connection.ops.quote_name(table)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(prepared))


def insert_releases(releases: list[Release]) -> None:
    """Insert new releases, then read their ids back by reference (unique): bulk_create's
    work per field costs more than the rows themselves."""
    columns = [
        "reference", "kind", "state", "origin", "issue_instant", "issue_time_stated", "department"
    ]  # fmt: skip
    insert_rows(
        Release,
        columns,
        (
            (
                release.reference,
                release.kind,
                release.state,
                release.origin,
                release.issue_instant,
                release.issue_time_stated,
                release.department_id,
            )
            for release in releases
        ),
    )
    by_reference = {release.reference: release for release in releases}
    found = Release.objects.filter(reference__in=list(by_reference)).order_by()
    for reference, pk in found.values_list("reference", "pk"):
        by_reference[reference].pk = by_reference[reference].id = pk
    for release in releases:
        release._state.adding = False
