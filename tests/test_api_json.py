"""The API's JSON renderer (orjson): what it writes itself, and what it hands to ninja's encoder."""

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from django.utils.translation import gettext_lazy
from ninja import Schema

from medbotx.api import JSONRenderer


class Pair(Schema):
    name: str
    count: int


def render(data) -> bytes:
    return JSONRenderer().render(None, data, response_status=200)


def test_uuids_and_datetimes_are_written_with_their_zone_and_utc_as_z():
    key = uuid.UUID("6502e1f8-f530-4f64-bdf8-c042af209ba8")
    body = render({"id": key, "at": datetime(2026, 11, 25, 6, 1, 2, 345678, tzinfo=UTC),
                   "there": datetime(2026, 11, 25, 8, 1, 2, tzinfo=timezone(timedelta(hours=2)))})  # fmt: skip
    assert body == (
        b'{"id":"6502e1f8-f530-4f64-bdf8-c042af209ba8","at":"2026-11-25T06:01:02.345678Z",'
        b'"there":"2026-11-25T08:01:02+02:00"}'
    )


def test_what_orjson_does_not_know_goes_to_ninja_s_encoder():
    body = render({"amount": Decimal("1.50"), "detail": gettext_lazy("Stopping"), "pair": Pair(name="a", count=2)})
    assert json.loads(body) == {"amount": "1.50", "detail": "Stopping", "pair": {"name": "a", "count": 2}}


def test_text_is_utf_8_and_integer_keys_become_strings_as_with_json():
    assert render({"title": "Céline ☕", 3: [True, None]}) == '{"title":"Céline ☕","3":[true,null]}'.encode()
