"""Prometheus metrics (served at /metrics). With several processes, set PROMETHEUS_MULTIPROC_DIR to a shared
empty folder (`manage.py serve` does) and every process's numbers are summed in each scrape."""

from prometheus_client import Counter, Gauge, Histogram

OPEN_STREAMS = Gauge("medbotx_open_streams", "SSE responses open now", multiprocess_mode="livesum")
FRAMES = Counter("medbotx_stream_frames_total", "SSE frames sent to clients")
TOKENS = Counter("medbotx_tokens_relayed_total", "Text pieces received from the model and relayed")
UPSTREAM_ERRORS = Counter("medbotx_upstream_errors_total", "Model failures, by kind", ["kind"])
FIRST_TOKEN = Histogram(
    "medbotx_time_to_first_token_seconds",
    "From starting a generation to its first piece of text",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
SAFETY_MODEL_FAILURES = Counter(
    "medbotx_safety_model_failures_total",
    "Turns triaged by the rules alone because the learned safety classifier could not run, by kind",
    ["kind"],
)
SAFETY_NOT_STORED = Counter(
    "medbotx_safety_answers_not_stored_total",
    "Emergencies and crises answered but not stored: past MEDBOTX_SAFETY_STORED_PER_MINUTE (or _PER_ADDRESS_)",
)
