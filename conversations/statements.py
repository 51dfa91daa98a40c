"""The conversation statements run on every request or chat turn, written once (see medbotx/statements.py
for why). Each has an ORM equivalent that tests/conversations/test_statements.py compares it with."""

import uuid
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.db import connection

from accounts.identity import Identity
from accounts.models import User
from medbotx.statements import column, compiled, db_value, execute, first, rows, select, table

from .models import Message, Thread


def thread_by_public_id(public_id: uuid.UUID) -> Thread | None:
    return first(Thread, f"{column(Thread, 'public_id')} = %s", [db_value(Thread, "public_id", public_id)])


class ThreadRow(NamedTuple):
    """What a thread list shows of a thread (the API's ThreadOut, the sidebar)."""

    pk: int
    public_id: uuid.UUID
    title: str
    is_guest: bool
    created_at: datetime
    updated_at: datetime


THREAD_ROW = ("id", *ThreadRow._fields[1:])  # the model's field names, in the row's order

# Placeholders the list statement is compiled with; each call puts the caller's own user key or guest id in
# their place. No user has a negative key, and no guest this id (it is not a random UUID's form).
_SOME_USER_PK = -424_242
_SOME_GUEST_ID = uuid.UUID(int=424_242)


@cache
def _visible_statement(kind: str, limit: int, vendor: str) -> tuple[str, list, int]:
    """`Thread.objects.visible_to(...)`'s list for a user or a guest, as the ORM compiles it (`vendor`: the
    database's, so a process that changes database compiles it again)."""
    if kind == "user":
        sample, placeholder = Identity(user=User(pk=_SOME_USER_PK)), _SOME_USER_PK
    else:
        sample, placeholder = Identity(guest_id=_SOME_GUEST_ID), db_value(Thread, "guest_id", _SOME_GUEST_ID)
    return compiled(Thread.objects.visible_to(sample).values_list(*THREAD_ROW)[:limit], placeholder)


def visible_threads(identity: Identity, limit: int) -> list[ThreadRow]:
    """`Thread.objects.visible_to(identity)[:limit]`, the caller's own threads, not hidden, most recent first
    (the model's ordering), with the fields a list shows: the ORM's statement, compiled once per kind."""
    if identity.user is not None:
        value = identity.user.pk
    elif identity.guest_id is not None:
        value = db_value(Thread, "guest_id", identity.guest_id)
    else:
        return []  # visible_to: an anonymous caller has no list
    sql, params, slot = _visible_statement(identity.kind, limit, connection.vendor)
    params = [*params[:slot], value, *params[slot + 1 :]]
    return [ThreadRow._make(row) for row in select(Thread, THREAD_ROW, sql, params)]


def history(thread_pk: int, limit: int) -> list[tuple[str, str]]:
    """The thread's last `limit` messages with text, newest first, as (role, content)."""
    sql = (
        f"SELECT {column(Message, 'role')}, {column(Message, 'content')} FROM {table(Message)}"
        f" WHERE {column(Message, 'thread')} = %s AND {column(Message, 'content')} <> ''"
        f" ORDER BY {column(Message, 'created_at')} DESC, {column(Message, 'id')} DESC LIMIT %s"
    )
    return rows(sql, [thread_pk, limit])


def update_message(pk: int, *, only_status: tuple[str, ...] = (), only_worker: str | None = None, **values: Any) -> int:
    """UPDATE one message's fields (by model field name); with `only_status`, only while it has one of those
    statuses; with `only_worker`, only while that process holds it. The number of rows changed (0 or 1)."""
    if not values:
        return 0  # as the ORM's update() with nothing to set
    names = list(values)
    sets = ", ".join(f"{column(Message, name)} = %s" for name in names)
    params = [db_value(Message, name, values[name]) for name in names]
    sql = f"UPDATE {table(Message)} SET {sets} WHERE {column(Message, 'id')} = %s"
    params.append(pk)
    if only_status:
        sql += f" AND {column(Message, 'status')} IN ({', '.join(['%s'] * len(only_status))})"
        params.extend(only_status)
    if only_worker is not None:
        sql += f" AND {column(Message, 'worker')} = %s"
        params.append(only_worker)
    return execute(sql, params)


def touch_thread(pk: int, updated_at: datetime, title: str | None = None) -> None:
    """Move a thread's updated_at (and set its title, when given)."""
    sets, params = f"{column(Thread, 'updated_at')} = %s", [db_value(Thread, "updated_at", updated_at)]
    if title is not None:
        sets += f", {column(Thread, 'title')} = %s"
        params.append(title)
    execute(f"UPDATE {table(Thread)} SET {sets} WHERE {column(Thread, 'id')} = %s", [*params, pk])
