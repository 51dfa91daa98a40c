"""Daphne on uvloop: `python -m medbotx.server [daphne's arguments]`.

Daphne makes its event loop when `daphne.server` is imported, with whatever event loop policy is set then.
Setting uvloop's first gives Twisted's asyncio reactor a loop whose scheduling and socket reads are written
in C, which is most of what relaying a token costs (docs/benchmarks.md). MEDBOTX_UVLOOP=0 keeps asyncio's
own loop, as does a platform uvloop does not support.

Two fixes to Twisted's HTTP/1.1 as Daphne uses it are made here too, before the server starts: reason phrases
for the status codes Twisted does not know, and an answer to a request head too large to read.
"""

import asyncio
import os
import sys
import warnings
from http import HTTPStatus

# Importing Twisted's HTTP module starts no reactor and no event loop (daphne.server does: imported in main()).
from twisted.web import http as twisted_http


def use_uvloop() -> bool:
    if os.environ.get("MEDBOTX_UVLOOP", "1").strip().lower() in {"0", "false", "no", "off"}:
        return False
    try:
        import uvloop
    except ImportError:
        return False
    with warnings.catch_warnings():  # the policy API is deprecated from Python 3.14 on; it still works
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return True


def accept_one_at_a_time() -> None:
    """For several processes on one shared listening socket (`manage.py serve` passes `--fd`).

    Each new connection wakes every process, and the first to call accept() takes it. Twisted takes up to
    100 waiting connections in one go, so a burst went to whichever process woke first: all 32 of a wrk
    run's connections went to one of two workers, measured with `ss` (docs/benchmarks.md). Taking one per
    wake-up spreads a burst across the processes, and a busy process, slower to come back for the next,
    takes fewer. Twisted keeps the batch size in `Port.numberAccepts` and grows it under load; this pins it.
    """
    from twisted.internet import tcp

    tcp.Port.numberAccepts = property(lambda _port: 1, lambda _port, _value: None)  # type: ignore[assignment]


def shares_a_socket(args: list[str]) -> bool:
    """Daphne is given a listening socket by its descriptor (`--fd N`), as `manage.py serve` does."""
    return any(arg == "--fd" or arg.startswith("--fd=") for arg in args)


def name_every_status() -> None:
    """Daphne gives Twisted a response's status code alone, and Twisted looks its reason phrase up in
    `RESPONSES`, a table older than 422, 429, 431 and a dozen more: those went out as `HTTP/1.1 422 Unknown
    Status`. Python's HTTPStatus names them all. Only the missing codes are added; Twisted's own phrases stay.
    """
    for status in HTTPStatus:
        twisted_http.RESPONSES.setdefault(status.value, status.phrase.encode("ascii"))


class BoundedHeadChannel(twisted_http.HTTPChannel):
    """Twisted's HTTP/1.1 channel, answering a request head too large to read instead of hanging up on it.

    Twisted reads at most 16 KiB of request line and headers (`totalHeadersSize`, and `MAX_LENGTH` for any
    one line). Past the total it answered a bare 400; a single line past `MAX_LENGTH` (a bloated cookie, say)
    closed the connection with no answer at all, which a browser shows as a network failure. The limits stay;
    the answer is now the status made for it: 431, or 414 when the line at fault is the request line.
    """

    def lineReceived(self, line: bytes) -> None:
        if self._receivedHeaderSize + len(line) > self.totalHeadersSize:
            return self._refuse_head()
        return super().lineReceived(line)

    def lineLengthExceeded(self, line: bytes) -> None:
        return self._refuse_head()

    def _refuse_head(self) -> None:
        # `_receivedHeaderSize` (documented on HTTPChannel) counts this request's head so far: at 0 the line at
        # fault is the request line, whose length is the URL's.
        if self._receivedHeaderSize:
            status = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        else:
            status = HTTPStatus.REQUEST_URI_TOO_LONG
        head = f"HTTP/1.1 {status.value} {status.phrase}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        if self.transport is not None:
            self.transport.write(head.encode("ascii"))  # type: ignore[call-arg, misc]  # a zope interface, untyped
        self.loseConnection()


def bound_request_heads() -> None:
    """Daphne's HTTP factory builds its connections with BoundedHeadChannel.

    Daphne makes the factory inside Server.run(), so the class is configured through `protocol`, the
    attribute a Twisted factory builds its protocols with. The wrapper is what Twisted's own default builds
    around its HTTPChannel (`_genericHTTPChannelProtocolFactory`): it switches to HTTP/2 when TLS negotiates it.
    """
    from daphne.http_protocol import HTTPFactory

    HTTPFactory.protocol = lambda _factory: twisted_http._GenericHTTPChannelProtocol(BoundedHeadChannel())


def main() -> None:
    use_uvloop()
    name_every_status()
    bound_request_heads()
    if shares_a_socket(sys.argv[1:]):
        accept_one_at_a_time()
    from daphne.cli import CommandLineInterface

    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
