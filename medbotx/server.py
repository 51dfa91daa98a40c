"""Daphne on uvloop: `python -m medbotx.server [daphne's arguments]`.

Daphne makes its event loop when `daphne.server` is imported, with whatever event loop policy is set then.
Setting uvloop's first gives Twisted's asyncio reactor a loop whose scheduling and socket reads are written
in C, which is most of what relaying a token costs (docs/benchmarks.md). MEDBOTX_UVLOOP=0 keeps asyncio's
own loop, as does a platform uvloop does not support.
"""

import asyncio
import os
import sys
import warnings


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

    tcp.Port.numberAccepts = property(lambda _port: 1, lambda _port, _value: None)


def shares_a_socket(args: list[str]) -> bool:
    """Daphne is given a listening socket by its descriptor (`--fd N`), as `manage.py serve` does."""
    return any(arg == "--fd" or arg.startswith("--fd=") for arg in args)


def main() -> None:
    use_uvloop()
    if shares_a_socket(sys.argv[1:]):
        accept_one_at_a_time()
    from daphne.cli import CommandLineInterface

    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
