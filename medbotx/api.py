"""The NinjaAPI root: mounts each app's router and maps errors to `{"detail": "..."}` once."""

import hashlib
import logging
import re
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from accounts.api import me_router
from accounts.api import router as auth_router
from accounts.auth import optional_bearer
from accounts.tokens import InvalidToken
from assistant.api import router as chat_router
from assistant.generation import WORKER
from assistant.turns import MessageError, RetryError
from conversations.api import router as threads_router

from .limits import Throttled

log = logging.getLogger(__name__)

ERROR_RESPONSE = {
    "description": "An error: a JSON object with a string `detail` (and, for some, more fields).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}, "retry_after": {"type": "integer"}},
                "required": ["detail"],
            }
        }
    },
}


class JSONRenderer(BaseRenderer):
    """Responses as JSON through orjson: compact (as the original MedBotX's FastAPI wrote them), in UTF-8,
    UUIDs and datetimes written in C (a datetime in UTC ends in `Z`). ninja's own renderer goes through
    Python's `json` and calls back into Python for each UUID and datetime, a measurable share of a small
    request's CPU (docs/benchmarks.md). Anything else orjson does
    not know (a lazy translation, a Decimal, a pydantic model) goes to ninja's encoder. Unlike Python's
    `json`, orjson refuses integers beyond 64 bits and writes NaN as null; no response of ours holds either."""

    media_type = "application/json"
    _fallback = NinjaJSONEncoder().default

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=self._fallback, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONParser(Parser):
    """JSON bodies as ninja reads them, except that an unpaired UTF-16 surrogate (`"\\udc00"`, valid JSON but
    not text) becomes U+FFFD, as Django does for invalid UTF-8 in forms and URLs. Left in, it reaches the
    database, which refuses it (a 500 at the insert, even for an emergency). Every body is checked, whatever
    its encoding (json.loads also reads UTF-16 and UTF-32); bodies are small (MEDBOTX_MAX_BODY_BYTES)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return _replace_surrogates(super().parse_body(request))


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_surrogates(key): _replace_surrogates(item) for key, item in value.items()}
    return value


class MedBotXAPI(NinjaAPI):
    """The schema says what the API does: every operation may answer an error (`detail` JSON), and the
    bearer token is optional (no token is an anonymous caller), so `security` lists "none" as an option."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                operation["responses"].setdefault("default", ERROR_RESPONSE)
                security = operation.get("security")
                optional = any(name.endswith("OptionalBearer") for item in security or () for name in item)
                if security and {} not in security and optional:
                    operation["security"] = [*security, {}]
        return schema


api = MedBotXAPI(
    title="MedBotX API",
    version="1.0.0",
    description=(
        "Health questions answered safely, with sources. Send `Authorization: Bearer <token>` "
        "from /api/auth/login, /api/auth/signup or /api/auth/guest; without it you are an anonymous caller. "
        "Every error is JSON with a string `detail`."
    ),
    auth=optional_bearer,
    parser=JSONParser(),
    renderer=JSONRenderer(),
    urls_namespace="api",
)

api.add_router("/auth", auth_router)
api.add_router("/threads", threads_router)
api.add_router("/chat", chat_router)
api.add_router("/me", me_router)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    response = api.create_response(request, {"detail": detail, **extra}, status=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _describe(error: dict) -> str:
    # ("body", "payload", "title") -> "title"; ("query", "title") -> "title"
    loc = [str(part) for part in error.get("loc", ())]
    if loc and loc[0] == "body":
        loc = loc[2:] if len(loc) > 2 else ["body"]
    elif loc and loc[0] in {"query", "path", "header", "cookie", "form"}:
        loc = loc[1:]
    field = ".".join(loc)
    message = error.get("msg", "is invalid")
    return f"{field}: {message}" if field else message


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors]
    detail = "Invalid input: " + "; ".join(_describe(e) for e in exc.errors)
    return _error(request, 422, detail, errors=errors)


@api.exception_handler(MessageError)
def on_message_error(request: HttpRequest, exc: MessageError) -> HttpResponse:
    return _error(request, 422, str(exc))


@api.exception_handler(RetryError)
def on_retry_error(request: HttpRequest, exc: RetryError) -> HttpResponse:
    return _error(request, 409, str(exc))


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message, "retry_after": exc.retry_after}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(InvalidToken)
def on_invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
    return _error(request, 401, str(exc))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Not authenticated")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "Request body is not valid JSON"
    return _error(request, exc.status_code, detail)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, f"Request body too large: at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes")


# Which process answered a health check, for telling workers apart behind a load balancer, without saying
# the host's name or the process id to whoever asks.
WORKER_ID = hashlib.sha256(WORKER.encode()).hexdigest()[:12]


class HealthOut(Schema):
    status: str
    database: str
    worker: str = ""  # which server process answered, as an opaque id (no host name or process id)


class HealthDownOut(HealthOut):
    detail: str


@api.get("/healthz", auth=None, response={200: HealthOut, 503: HealthDownOut}, tags=["health"], summary="Liveness")
def healthz(request: HttpRequest) -> Status[dict[str, str]]:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("health check: database unavailable")
        return Status(503, {"status": "unavailable", "database": "unavailable", "detail": "Database unavailable"})
    return Status(200, {"status": "ok", "database": "ok", "worker": WORKER_ID})
