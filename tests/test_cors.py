import pytest

pytestmark = pytest.mark.django_db


def _preflight(api, origin):
    return api.request(
        "options",
        "/api/threads/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


@pytest.mark.parametrize(
    "origin", ["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:5173", "http://127.0.0.1:5173"]
)
def test_the_original_frontend_origins_are_allowed_with_authorization(api, origin):
    response = _preflight(api, origin)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:8080", "null"])
def test_other_origins_are_refused(api, origin):
    response = _preflight(api, origin)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in api.get("/api/threads/", HTTP_ORIGIN=origin).headers


def test_the_allow_list_comes_from_settings(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    assert _preflight(api, "https://app.example").headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in _preflight(api, "http://localhost:3000").headers


def test_a_simple_request_from_an_allowed_origin_is_readable(api):
    response = api.get("/api/threads/", HTTP_ORIGIN="http://localhost:5173")
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"


def test_a_cross_origin_client_may_send_last_event_id_to_resume(api):
    response = api.request(
        "options",
        "/api/chat/replies/00000000-0000-0000-0000-000000000000/stream",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, last-event-id",
    )
    assert response.status_code == 200
    assert "last-event-id" in response.headers["Access-Control-Allow-Headers"].lower()
