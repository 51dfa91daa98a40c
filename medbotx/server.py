"""Daphne on uvloop: `python -m medbotx.server [daphne's arguments]`.

Daphne makes its event loop when `daphne.server` is imported, with whatever event loop policy is set then.
Setting uvloop's first gives Twisted's asyncio reactor a loop whose scheduling and socket reads are written
in C, which is most of what relaying a token costs (docs/benchmarks.md). MEDBOTX_UVLOOP=0 keeps asyncio's
own loop, as does a platform uvloop does not support.
"""

import asyncio
import os
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


def main() -> None:
    use_uvloop()
    from daphne.cli import CommandLineInterface

    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
