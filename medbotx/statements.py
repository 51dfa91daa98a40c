"""Helpers for the few statements the server runs on every request or every chat turn, written once.

The ORM builds and compiles a query's SQL anew at every call. For a one-row lookup that costs several
times what SQLite takes to run the statement itself (docs/benchmarks.md). The statements on the hot path
are therefore compiled once: written out in full from the models' metadata (`conversations/statements.py`,
`accounts/tokens.py`), or, where a statement carries a rule the ORM states (which threads a caller may
list), compiled by the ORM once and run again with new values (`compiled`). These helpers keep those
statements tied to the models:

- tables and columns are named from the models' `_meta`;
- values go through each field's own conversion for the database in use (`get_db_prep_save`: a UUID, a
  datetime or JSON is stored exactly as the ORM would store it);
- values come back through the database's and the fields' converters, as the ORM returns them: as tuples
  (`values`, like `values_list`), or as a model instance made with `Model.from_db`, as the ORM makes one
  (`first`), which is cheaper than going through `Model.objects.raw`.

A test runs each statement against its ORM equivalent on SQLite and on PostgreSQL. Everything else in the
project uses the ORM.

They all run on the default database, which is the only one MedBotX configures. Database routers are not
consulted, so a deployment that adds replicas or a second database must change them first.
"""

from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, transaction  # `connection`: the default's, per thread
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    # `name` is a concrete field's, which get_field's type cannot say (a relation has no column).
    return connection.ops.quote_name(model._meta.get_field(name).column)  # type: ignore[union-attr, arg-type]


def db_value(model: type[Model], name: str, value: Any) -> Any:
    """`value` as the database stores it in the field `name`."""
    # `name` is a concrete field's, which get_field's type cannot say (a relation has no column).
    return model._meta.get_field(name).get_db_prep_save(value, connection)  # type: ignore[union-attr]


@cache
def _column_of(model: type[Model], name: str) -> Col:
    field = model._meta.get_field(name)
    # `name` is a concrete field's, which get_field's type cannot say (a relation has no column).
    return field.get_col(model._meta.db_table)  # type: ignore[union-attr]


def _converters(model: type[Model], name: str) -> tuple:
    # What the ORM's compiler applies to a selected column: the database's converters, then the field's.
    # Asked of this thread's connection at each call (once per column, not per row): the database's
    # converters are methods of the connection they come from.
    column = _column_of(model, name)
    return column, (*connection.ops.get_db_converters(column), *column.get_db_converters(connection))


def values(model: type[Model], names: tuple[str, ...], where: str, params: list) -> list[tuple]:
    """`SELECT <the fields' columns> FROM <table> <where>`: each row a tuple of the fields' values, as
    `values_list(*names)` returns them, without building model instances."""
    sql = f"SELECT {', '.join(column(model, name) for name in names)} FROM {table(model)} {where}"
    return select(model, names, sql, params)


def select(model: type[Model], names: tuple[str, ...], sql: str, params: list) -> list[tuple]:
    """Run a statement that selects the fields `names` of `model`, in that order (written here, or compiled
    once by the ORM: `compiled`): each row converted as `values_list(*names)` converts it."""
    found = rows(sql, params)
    steps = [_converters(model, name) for name in names]
    if not any(converters for _, converters in steps):
        return found
    converted = []
    for row in found:
        out = []
        for value, (col, converters) in zip(row, steps, strict=True):
            for convert in converters:
                value = convert(value, col, connection)
            out.append(value)
        converted.append(tuple(out))
    return converted


def first[M: Model](model: type[M], where: str, params: list) -> M | None:
    """The first row `WHERE <where>` as a model instance (every concrete field loaded), or None."""
    fields = model._meta.concrete_fields
    found = values(model, tuple(field.name for field in fields), f"WHERE {where} LIMIT 1", params)
    # Model.from_db is how the ORM itself makes an instance from a row (and the documented hook for it).
    return model.from_db(DEFAULT_DB_ALIAS, [field.attname for field in fields], found[0]) if found else None


def compiled(queryset: QuerySet, placeholder: Any) -> tuple[str, list, int]:
    """The SQL the ORM compiles for `queryset` on the default database, its parameters, and where among them
    `placeholder` (a value the queryset was built with, as the database stores it) stands: compiled once
    and run again with each call's own value in that place, the statement states its rule once, in the ORM."""
    sql, params = queryset.query.sql_with_params()
    slots = [i for i, value in enumerate(params) if type(value) is type(placeholder) and value == placeholder]
    if len(slots) != 1:
        raise ValueError(f"the placeholder {placeholder!r} is not exactly one of the parameters {params!r}")
    return sql, list(params), slots[0]


def rows(sql: str, params: list) -> list[tuple]:
    # As the ORM does: an error inside an atomic block marks it for rollback, even if a caller catches it.
    with transaction.mark_for_rollback_on_error(DEFAULT_DB_ALIAS), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def execute(sql: str, params: list) -> int:
    """Run a statement; the number of rows it changed."""
    with transaction.mark_for_rollback_on_error(DEFAULT_DB_ALIAS), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
