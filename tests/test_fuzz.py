"""Schemathesis fuzzes the API from its own OpenAPI schema against a live server, with every check and every
phase (examples, coverage, fuzzing, stateful), positive and negative data: no server error; every response
(status, content type, headers, body, each SSE event) as the schema says; every request the schema allows is
accepted and every request it forbids is refused (so the schema declares each constraint the server enforces,
and the server enforces each one the schema declares); a missing optional header is not required.

CI runs a bounded number of examples per operation (MEDBOTX_FUZZ_EXAMPLES, default 8); `make fuzz` runs
100 per operation, well over a thousand cases (figures in docs/reliability.md).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.live import ROOT, LiveServer

CHECKS = "all"
PHASES = "examples,coverage,fuzzing,stateful"


def test_the_api_holds_up_to_schemathesis(tmp_path):
    examples = os.environ.get("MEDBOTX_FUZZ_EXAMPLES", "8")
    # No example database: the run depends on the seed alone, the same here and in CI's fresh clone.
    seed = os.environ.get("MEDBOTX_FUZZ_SEED", "20261125")
    limits = {  # generous, so the fuzzer reaches the logic behind them
        "MEDBOTX_SIGNUP_PER_IP_PER_HOUR": "100000", "MEDBOTX_LOGIN_PER_IP_PER_MINUTE": "100000",
        "MEDBOTX_ANON_CHAT_PER_MINUTE": "100000", "MEDBOTX_GUEST_CHAT_PER_MINUTE": "100000",
        "MEDBOTX_CHAT_PER_MINUTE": "100000",
    }  # fmt: skip
    with LiveServer(tmp_path, MEDBOTX_LLM="offline", MEDBOTX_OFFLINE_PACE_MS="0", **limits) as server:
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("st")), "run", f"{server.url}/api/openapi.json",
                "--checks", CHECKS, "--phases", PHASES, "--mode", "all", "--max-examples", examples,
                "--request-timeout", "20", "--seed", seed, "--generation-database", "none", "--no-color",
            ],
            cwd=ROOT, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
    output = result.stdout + result.stderr
    generated = re.search(r"(\d+) generated", output)
    print(f"schemathesis: {generated.group(0) if generated else '?'}; exit {result.returncode}")
    assert result.returncode == 0, output[-6000:]
    assert generated and int(generated.group(1)) >= 100
