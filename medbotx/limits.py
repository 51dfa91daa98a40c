"""Rate limits and lockouts, kept in the cache (Redis when REDIS_URL is set, so every process shares them).

Fixed windows: a counter per (what, who, window) that expires with its window. Simple, cheap (with Redis,
one pipelined round trip to count and one to read; otherwise the local-memory cache), and exact enough for
abuse control. A limit says when to retry.
"""

import functools
import ipaddress
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

TOKEN_QUOTA_SECONDS = 86_400  # the daily token quota's window: counted and checked over one day

if TYPE_CHECKING:
    from redis import Redis


class Throttled(Exception):
    """Refused for now; `message` says so and when to retry, for the person. Answered with 429 and Retry-After."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds, when not allowed

    @property
    def retry_text(self) -> str:
        seconds = max(1, self.retry_after)
        if seconds < 90:
            return ngettext("in %(n)d second", "in %(n)d seconds", seconds) % {"n": seconds}
        minutes = math.ceil(seconds / 60)
        if minutes < 90:
            return ngettext("in %(n)d minute", "in %(n)d minutes", minutes) % {"n": minutes}
        hours = math.ceil(minutes / 60)
        return ngettext("in %(n)d hour", "in %(n)d hours", hours) % {"n": hours}


def _window(seconds: int) -> tuple[int, int]:
    now = time.time()
    start = int(now // seconds * seconds)
    return start, int(start + seconds - now) + 1


def _redis() -> "Redis | None":
    """A Redis client when the cache is Redis (REDIS_URL), for counters in one round trip; else None."""

    config = settings.CACHES["default"]
    if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return None
    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location
    client = _clients.get(location)
    if client is None:
        import redis

        client = _clients[location] = redis.Redis.from_url(location)
    return client


_clients: dict = {}


def _count(key: str, amount: int, timeout: int) -> int:
    """Add `amount` to the counter `key` (created to expire after `timeout` seconds); the new count."""
    client = _redis()
    if client is not None:
        # One round trip, atomic: create the key with its expiry if it is new, then add. (Django's cache
        # API takes three: add, then incr, which checks that the key exists first.)
        pipe = client.pipeline()
        pipe.set(key, 0, ex=timeout, nx=True)
        pipe.incrby(key, amount)
        return int(pipe.execute()[1])
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=timeout)
        return amount


def _read(key: str) -> int:
    client = _redis()
    if client is not None:
        return int(client.get(key) or 0)
    return cache.get(key, 0)


def hit(scope: str, who: str, limit: int, per_seconds: int, amount: int = 1) -> Verdict:
    """Count `amount` against `limit` per `per_seconds` for `who`; refused once the limit is passed."""
    start, left = _window(per_seconds)
    used = _count(f"medbotx:limit:{scope}:{who}:{start}", amount, per_seconds + 5)
    return Verdict(True) if used <= limit else Verdict(False, left)


def peek(scope: str, who: str, limit: int, per_seconds: int) -> Verdict:
    """Whether `who` is still under `limit`, without counting."""
    start, left = _window(per_seconds)
    used = _read(f"medbotx:limit:{scope}:{who}:{start}")
    return Verdict(True) if used < limit else Verdict(False, left)


def add(scope: str, who: str, per_seconds: int, amount: int) -> None:
    """Count `amount` (say, tokens used) without a verdict."""
    hit(scope, who, limit=2**62, per_seconds=per_seconds, amount=amount)


# --- Lockouts that grow: for repeated failed logins on one account ----------------------------------


def lockout(key: str) -> Verdict:
    """Whether `key` is locked out now, and for how long."""
    until = cache.get(f"medbotx:lock:{key}")
    now = time.time()
    return Verdict(False, int(until - now) + 1) if until and until > now else Verdict(True)


def failed(key: str, free_tries: int, first_lock_seconds: int, max_lock_seconds: int) -> Verdict:
    """Record a failure. After `free_tries` failures, each further one locks `key` for twice as long as the
    previous lock, from `first_lock_seconds` up to `max_lock_seconds`."""
    count_key = f"medbotx:fails:{key}"
    cache.add(count_key, 0, timeout=max_lock_seconds * 4)
    fails = cache.incr(count_key)
    if fails <= free_tries:
        return Verdict(True)
    seconds = min(max_lock_seconds, first_lock_seconds * 2 ** (fails - free_tries - 1))
    cache.set(f"medbotx:lock:{key}", time.time() + seconds, timeout=seconds + 5)
    return Verdict(False, seconds)


def succeeded(key: str) -> None:
    cache.delete_many([f"medbotx:fails:{key}", f"medbotx:lock:{key}"])


@functools.cache
def _trusted_networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(hop: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in an X-Forwarded-For hop ("1.2.3.4", "1.2.3.4:5678", "2001:db8::1", "[2001:db8::1]:80"),
    without its port, an IPv4-mapped IPv6 address as IPv4; None when it is not an address."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        address = ipaddress.ip_address(hop)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_ip(request: HttpRequest) -> str:
    """The caller's address, for the limits: the connection's, or behind trusted proxies (the
    TRUSTED_PROXIES setting) the right-most X-Forwarded-For hop that is not one of them. Each proxy appends
    the address it was reached from, so the hops right of the caller's are the proxies' own and the hops
    left of it are whatever the caller sent: taking the first hop would let a caller choose its address.
    Anything that is not an address where a proxy's entry should be falls back to the connection's."""

    remote = request.META.get("REMOTE_ADDR") or "unknown"
    trusted = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not trusted or not forwarded:
        return remote
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if len(trusted) == 1 and trusted[0].isdigit():
        # A number of proxies: the last one appended the caller. Fewer hops than proxies means the request
        # did not come through them all, and its X-Forwarded-For is the caller's own writing.
        count = int(trusted[0])
        if len(hops) < count:
            return remote
        address = _address(hops[-count])
        return str(address) if address is not None else remote
    networks = _trusted_networks(tuple(trusted))

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in networks)

    connection = _address(remote)
    if connection is None or not is_trusted(connection):
        return remote  # not reached through a trusted proxy: its X-Forwarded-For is the caller's own writing
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not is_trusted(address):
            return str(address)
    return str(_address(hops[0]))
