"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live MedBotX.

They are skipped when Chromium or Playwright is missing, except when MEDBOTX_REQUIRE_BROWSER=1 (CI),
where a missing browser fails the run. Playwright's own browser download is never used.
"""

import json
import os
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.browser import fetch_axe
from tests.live import ROOT, LiveServer

CHROMIUM = os.environ.get("MEDBOTX_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts"


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    here = Path(__file__).parent
    required = os.environ.get("MEDBOTX_REQUIRE_BROWSER") == "1"
    for item in items:
        if Path(item.fspath).parent == here:
            item.add_marker(pytest.mark.browser)
            if reason and not required:  # required: the browser fixture fails instead
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def medbotx_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("live")
    # Every test starts as a new guest (or signs up) from one address: the per-address limits, tested on their
    # own (tests/assistant/test_limits.py), are raised here so that the number of browser tests does not meet them.
    limits = {
        "MEDBOTX_GUEST_MINT_PER_IP_PER_HOUR": "10000",
        "MEDBOTX_SIGNUP_PER_IP_PER_HOUR": "10000",
        "MEDBOTX_ADDRESS_CHAT_PER_MINUTE": "10000",
    }
    with LiveServer(directory, MEDBOTX_LLM="offline", MEDBOTX_OFFLINE_PACE_MS="12", **limits) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Chromium for one module. Playwright's sync API runs an event loop in this thread while it is open,
    so it is closed before any other module's async tests run."""
    reason = _missing()
    if reason:
        pytest.fail(f"MEDBOTX_REQUIRE_BROWSER=1 but {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


class Watched:
    """A page, with every console error and Content-Security-Policy violation it reported."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(str(e)))


@pytest.fixture
def context_factory(browser, request):
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            for i, page in enumerate(context.pages):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{i}.png", full_page=True)
        context.close()


@pytest.fixture
def page(context_factory):
    watched = Watched(context_factory().new_page())
    yield watched.page
    csp = [p for p in watched.problems if "Content Security Policy" in p or "Content-Security-Policy" in p]
    assert csp == [], csp


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def api_user_with_thread(server: LiveServer, title: str) -> str:
    """Someone else, made through the JSON API: their thread's id."""

    def post(path: str, body: dict, token: str | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(server.url + path, json.dumps(body).encode(), headers, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    token = post(
        "/api/auth/signup", {"email": f"other-{uuid.uuid4().hex[:8]}@example.com", "password": "plum-orchard-42"}
    )
    return post("/api/threads/", {"title": title}, token["access_token"])["id"]


# axe-core's rules, run in the page (make test fetches it: tests/browser/fetch_axe.py). The script is evaluated
# through the DevTools protocol, which the page's Content-Security-Policy does not govern: a test-only way in,
# and the page itself keeps its strict policy.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const where = v => v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ");
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${where(v)}`);
}"""


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page as it is now, of any impact."""
    if not fetch_axe.TARGET.exists():
        if os.environ.get("MEDBOTX_REQUIRE_BROWSER") == "1":
            pytest.fail("axe-core is not fetched (make axe), and the browser tests are required")
        pytest.skip("axe-core is not fetched (make axe)")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(fetch_axe.TARGET.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


def shot(page, name: str) -> None:
    """A screenshot of a state of the page, into test-artifacts/screenshots/ (described in docs/web.md)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png")
