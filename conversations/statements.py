"""The conversation statements run on every request or chat turn, written once (see medbotx/statements.py
for why). Each has an ORM equivalent that tests/conversations/test_statements.py compares it with."""

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from accounts.identity import Identity
from medbotx.statements import column, db_value, execute, first, rows, table, values

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


_THREAD_ROW = ("id", *ThreadRow._fields[1:])  # the model's field names, in the row's order


def visible_threads(identity: Identity, limit: int) -> list[ThreadRow]:
    """Thread.objects.visible_to(identity)[:limit]: the caller's own threads, not hidden, most recent first,
    with the fields a list shows."""
    if identity.user is not None:
        owner, params = f"{column(Thread, 'owner')} = %s", [identity.user.pk]
    elif identity.guest_id is not None:
        owner = f"{column(Thread, 'owner')} IS NULL AND {column(Thread, 'guest_id')} = %s"
        params = [db_value(Thread, "guest_id", identity.guest_id)]
    else:
        return []
    where = (
        f"WHERE {owner} AND {column(Thread, 'hidden')} = %s"
        f" ORDER BY {column(Thread, 'updated_at')} DESC, {column(Thread, 'id')} DESC LIMIT %s"
    )
    return [ThreadRow._make(row) for row in values(Thread, _THREAD_ROW, where, [*params, False, limit])]


def history(thread_pk: int, limit: int) -> list[tuple[str, str]]:
    """The thread's last `limit` messages with text, newest first, as (role, content)."""
    sql = (
        f"SELECT {column(Message, 'role')}, {column(Message, 'content')} FROM {table(Message)}"
        f" WHERE {column(Message, 'thread')} = %s AND {column(Message, 'content')} <> ''"
        f" ORDER BY {column(Message, 'created_at')} DESC, {column(Message, 'id')} DESC LIMIT %s"
    )
    return rows(sql, [thread_pk, limit])


def update_message(pk: int, *, only_status: str | None = None, **values: Any) -> int:
    """UPDATE one message's fields (by model field name); with `only_status`, only while it has that status.
    The number of rows changed (0 or 1)."""
    if not values:
        return 0  # as the ORM's update() with nothing to set
    names = list(values)
    sets = ", ".join(f"{column(Message, name)} = %s" for name in names)
    params = [db_value(Message, name, values[name]) for name in names]
    sql = f"UPDATE {table(Message)} SET {sets} WHERE {column(Message, 'id')} = %s"
    params.append(pk)
    if only_status is not None:
        sql += f" AND {column(Message, 'status')} = %s"
        params.append(only_status)
    return execute(sql, params)


def touch_thread(pk: int, updated_at: datetime, title: str | None = None) -> None:
    """Move a thread's updated_at (and set its title, when given)."""
    sets, params = f"{column(Thread, 'updated_at')} = %s", [db_value(Thread, "updated_at", updated_at)]
    if title is not None:
        sets += f", {column(Thread, 'title')} = %s"
        params.append(title)
    execute(f"UPDATE {table(Thread)} SET {sets} WHERE {column(Thread, 'id')} = %s", [*params, pk])
