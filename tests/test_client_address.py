"""The caller's address for the limits: X-Forwarded-For is believed only as far as the trusted proxies go."""

import pytest
from django.test import RequestFactory

from medbotx.limits import client_ip

pytestmark = pytest.mark.django_db


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),  # nginx appended the caller
        ("1.1.1.1, 198.51.100.7", "198.51.100.7"),  # the caller wrote "1.1.1.1"; nginx appended the real one
        ("spoofed, 2.2.2.2, 198.51.100.7", "198.51.100.7"),
    ],
)
def test_one_proxy_takes_the_right_most_hop(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["1"]
    assert client_ip(request("127.0.0.1", forwarded)) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7:5555", "198.51.100.7"),  # a port does not make a new caller
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("garbage", "127.0.0.1"),  # not an address: the connection's
    ],
)
def test_the_hop_is_read_as_an_address(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["1"]
    assert client_ip(request("127.0.0.1", forwarded)) == expected


def test_fewer_hops_than_proxies_means_the_header_is_the_callers_own(settings):
    settings.TRUSTED_PROXIES = ["2"]
    assert client_ip(request("203.0.113.9", "127.0.0.1")) == "203.0.113.9"


def test_two_proxies_take_the_second_hop_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["2"]
    assert client_ip(request("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"


def test_trusted_networks_skip_every_proxy_hop_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # load balancer 10.0.0.1, then nginx on 127.0.0.1: the first untrusted hop from the right is the caller
    assert client_ip(request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    assert client_ip(request("127.0.0.1", "6.6.6.6, [2001:db8::5]:443, 10.0.0.1")) == "2001:db8::5"
    assert client_ip(request("127.0.0.1", "6.6.6.6, 198.51.100.7:5555, ::ffff:10.0.0.1")) == "198.51.100.7"
    assert client_ip(request("127.0.0.1", "6.6.6.6, not-an-address, 10.0.0.1")) == "127.0.0.1"


def test_a_connection_not_from_a_trusted_proxy_is_taken_as_it_is(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_rotating_x_forwarded_for_does_not_escape_the_login_limit(api, settings):
    """Behind one nginx, a caller that writes a new X-Forwarded-For each time is still one address."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # TRUST_X_FORWARDED_PROTO=1
    settings.TRUSTED_PROXIES = ["1"]  # what TRUST_X_FORWARDED_PROTO=1 gives by default
    settings.LOGIN_PER_IP_PER_MINUTE = 3
    statuses = []
    for i in range(5):
        forwarded = f"10.9.{i}.{i}, 198.51.100.7"  # the first hop is the caller's writing
        response = api.post(
            "/api/auth/login",
            body={"email": f"x{i}@example.com", "password": "wrong password"},
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 429, 429]
