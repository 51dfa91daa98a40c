"""What a person sees in a real browser: streaming, reloads, accounts, the sidebar, no-JavaScript use,
inert markup, themes and phone widths, and the accessibility basics."""

import re
import time
import uuid

import pytest

from tests.browser.conftest import ARTIFACTS, api_user_with_thread, axe_violations, shot

PASSWORD = "plum-orchard-42"
HEADER = "From MedBotX's built-in health library"


def start_as_guest(page, server) -> None:
    page.goto(server.url + "/")
    page.get_by_role("button", name="Start as guest").click()
    page.wait_for_url(re.compile(r"/notice/"))  # first use: the AI-not-a-doctor notice
    page.get_by_role("button", name="I understand").click()
    page.wait_for_url(re.compile(r"/chat/$"))


def ask(page, question: str) -> None:
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")


def wait_for_live_text(page, length: int) -> None:
    page.wait_for_function(
        f"() => (document.querySelector('article.streaming .body.live')?.textContent || '').length > {length}"
    )


def wait_for_answer(page, timeout: float = 20_000):
    page.wait_for_selector("article.msg.assistant:not(.streaming)", timeout=timeout)
    return page.locator("article.msg.assistant").last


def test_a_guest_sees_the_answer_stream_in_then_rendered_with_its_sources(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    box = page.get_by_label("Your question")
    box.fill("first line")
    box.press("Shift+Enter")  # a new line, not a send
    box.type("second line")
    assert box.input_value() == "first line\nsecond line"
    assert page.locator("article.msg").count() == 0
    ask(page, "What are the symptoms of asthma?")
    live = page.locator("article.streaming .body.live")
    live.wait_for()
    assert page.get_by_label("Your question").is_disabled()  # while the reply streams

    lengths, formatted = [], False
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        # One read in the page: the live body can be replaced between two separate reads.
        seen = page.evaluate(
            "() => { const live = document.querySelector('article.streaming .body.live');"
            " return document.querySelector('article.streaming') === null ? null"
            " : [live?.textContent || '', !!live?.querySelector('.blocks h2, .tail h2')]; }"
        )
        if seen is None:  # the stream has ended
            break
        text, heading = seen
        assert "##" not in text  # Markdown is shown formatted as it streams, never as its raw marks
        if heading and not formatted:
            shot(page, "state-streaming-markdown")  # mid-answer, already formatted
        formatted = formatted or heading
        if text and (not lengths or len(text) != lengths[-1]):
            lengths.append(len(text))
        time.sleep(0.03)
    assert len(lengths) >= 5, lengths  # it grew frame by frame
    assert lengths == sorted(lengths)
    assert formatted  # the title was a heading while the answer was still being written

    answer = wait_for_answer(page)
    assert answer.locator(".markdown h2").first.text_content() == "Asthma"
    assert HEADER in answer.text_content()
    assert "Sources" in answer.text_content()
    links = answer.locator("a[href^='https://']")
    assert links.count() >= 1
    assert all(
        re.match(r"https://(www\.)?(cdc\.gov|medlineplus\.gov|who\.int|nhs\.uk)/", h)
        for h in [links.nth(i).get_attribute("href") for i in range(links.count())]
    )
    assert page.get_by_label("Your question").is_enabled()
    assert re.search(r"/chat/[0-9a-f-]{36}/$", page.url)  # the thread's own address


def test_a_reload_during_a_stream_loses_nothing(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "how is high blood pressure treated")
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}/$"))
    page.wait_for_function(
        "() => (document.querySelector('article.streaming .body.live')?.textContent || '').length > 40"
    )
    page.reload()
    assert page.locator("article.msg.user .body").first.text_content().strip() == "how is high blood pressure treated"
    answer = wait_for_answer(page)
    text = answer.text_content()
    assert text.count(HEADER) == 1  # resumed after what the page had: nothing twice
    assert "When to get urgent help" in text
    page.reload()  # and once finished, the stored answer is the same
    assert page.locator("article.msg.assistant").last.text_content().count(HEADER) == 1


def test_signing_up_after_chatting_as_a_guest_keeps_the_threads(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "what helps a sore throat")
    wait_for_answer(page)
    title = page.locator("#threads li.current a").text_content().strip()

    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/chat/$"))
    assert page.locator("#threads a", has_text=title).count() == 1

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(medbotx_server.url + "/")
    page.goto(medbotx_server.url + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    assert "Incorrect email or password" in page.locator("[role=alert]").first.text_content()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/chat/$"))
    assert page.locator("#threads a", has_text=title).count() == 1


def test_rename_and_delete_from_the_sidebar_and_a_stranger_gets_a_404_page(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "tips for better sleep")
    wait_for_answer(page)
    item = page.locator("#threads li.current")
    item.locator("summary.menu").click()  # the row's compact ⋯ menu
    item.locator("summary", has_text="Rename").click()
    item.get_by_label("New title").fill("Sleep notes")
    item.get_by_role("button", name="Save").click()
    page.wait_for_selector("#threads li.current a:text-is('Sleep notes')")
    page.reload()
    assert page.locator("#threads li.current a").text_content().strip() == "Sleep notes"

    item = page.locator("#threads li.current")
    item.locator("summary.menu").click()
    item.locator("summary", has_text="Delete").click()
    item.get_by_role("button", name="Delete for good").click()
    page.wait_for_url(re.compile(r"/chat/$"))
    assert page.locator("#threads a", has_text="Sleep notes").count() == 0

    other = api_user_with_thread(medbotx_server, "Someone else's secret")
    response = page.goto(f"{medbotx_server.url}/chat/{other}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
    assert "secret" not in page.content()


def test_without_javascript_a_message_is_sent_and_the_answer_read(context_factory, medbotx_server):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(medbotx_server.url + "/")
    page.get_by_role("button", name="Start as guest").click()
    page.get_by_role("button", name="I understand").click()
    page.get_by_label("Your question").fill("what causes migraines")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}/(\?t=\d+)?#msg-[0-9a-f-]{36}$"))  # on the new question
    assert page.locator("article.msg.user .body").text_content().strip() == "what causes migraines"
    # The page refreshes itself while the reply is pending (a <noscript> refresh), then shows it.
    page.wait_for_selector("article.msg.assistant .markdown h2", timeout=30_000)
    answer = page.locator("article.msg.assistant").last.text_content()
    assert "Migraine" in answer and "Sources" in answer


def test_markup_in_a_message_is_shown_inert(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    evil = (
        '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> '
        "[click me](javascript:window.__pwned=3) is this a rash"
    )
    ask(page, evil)
    wait_for_answer(page)
    for _ in range(2):
        shown = page.locator("article.msg.user").first
        assert "<script>window.__pwned = 1</script>" in shown.text_content()
        assert shown.locator("script, img").count() == 0
        assert page.locator("#messages img, #messages script").count() == 0
        assert page.locator("#messages a[href^='javascript:']").count() == 0
        assert page.evaluate("() => window.__pwned") is None
        page.reload()


CONTRAST = """
() => {
  const lum = (c) => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = (el) => { while (el) { const c = getComputedStyle(el).backgroundColor;
    if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; el = el.parentElement; }
    return getComputedStyle(document.body).backgroundColor; };
  const out = [];
  for (const el of document.querySelectorAll('p, a, li, h1, h2, h3, label, button, summary, .hint')) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) out.push(`${el.tagName}: ${ratio.toFixed(2)} ${el.textContent.trim().slice(0, 30)}`);
  }
  return out;
}
"""

UNLABELLED = """
() => [...document.querySelectorAll('input:not([type=hidden]), textarea, select, button')]
  .filter(el => el.offsetParent !== null)
  .filter(el => {
    const name = (el.labels && [...el.labels].map(l => l.textContent).join(' ').trim())
      || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim());
    return !name;
  }).map(el => el.outerHTML.slice(0, 80))
"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("width", [375, 1280])
def test_themes_and_widths_screenshots_and_accessibility(context_factory, medbotx_server, scheme, width):
    context = context_factory(viewport={"width": width, "height": 820}, color_scheme=scheme)
    page = context.new_page()
    start_as_guest(page, medbotx_server)
    ask(page, "what is a fever")
    wait_for_answer(page)

    expected_bg = {"dark": "rgb(15, 20, 25)", "light": "rgb(247, 249, 251)"}[scheme]
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == expected_bg
    assert page.get_by_role("log").count() == 1
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(CONTRAST) == []
    assert axe_violations(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    sidebar = page.locator("#sidebar")
    if width == 375:
        assert not sidebar.is_visible()
        page.get_by_role("button", name="Chats").click()
        assert sidebar.is_visible()
        assert page.get_by_role("button", name="Chats").get_attribute("aria-expanded") == "true"
        page.get_by_role("button", name="Chats").click()
    else:
        assert sidebar.is_visible()

    # Keyboard alone: on a freshly loaded page the first Tab reaches the skip link, and Tab reaches the
    # question box, with a visible focus ring on the way.
    page.reload()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "message":
            break
    else:
        pytest.fail("Tab never reached the question box")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"

    ARTIFACTS.mkdir(exist_ok=True)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=shots / f"chat-{width}-{scheme}.png", full_page=True)
    page.goto(medbotx_server.url + "/")
    assert page.evaluate(CONTRAST) == []
    assert axe_violations(page) == []
    page.screenshot(path=shots / f"landing-{width}-{scheme}.png", full_page=True)


def test_the_pages_follow_the_browser_s_language_and_the_switch(context_factory, medbotx_server):
    context = context_factory(locale="es-MX")
    page = context.new_page()
    page.goto(medbotx_server.url + "/")
    assert page.evaluate("() => document.documentElement.lang") == "es"
    page.get_by_role("button", name="Empezar como invitado").click()
    page.wait_for_url(re.compile(r"/notice/"))
    page.get_by_role("button", name="Entendido").click()
    page.wait_for_url(re.compile(r"/chat/$"))
    assert page.get_by_label("Tu pregunta").is_visible()
    # A Spanish question: the answer is in Spanish, with its sources.
    box = page.get_by_label("Tu pregunta")
    box.fill("¿Qué es el asma?")
    box.press("Enter")
    answer = wait_for_answer(page)
    assert "Asma" in answer.text_content()
    # The switch names the other language, in it; the choice stays, over the browser's language.
    page.get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.get_by_label("Your question").is_visible()
    page.goto(medbotx_server.url + "/chat/")
    assert page.evaluate("() => document.documentElement.lang") == "en"


def test_the_theme_toggle_switches_and_is_remembered(page, medbotx_server):
    page.emulate_media(color_scheme="dark")
    page.goto(medbotx_server.url + "/")
    toggle = page.locator("#theme-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(247, 249, 251)"
    page.reload()
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(247, 249, 251)"


def test_stop_ends_a_reply_and_it_is_stored_as_stopped(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "tell me about type 2 diabetes")
    page.locator("article.streaming .body.live").wait_for()
    page.wait_for_function(
        "() => (document.querySelector('article.streaming .body.live')?.textContent || '').length > 20"
    )
    page.get_by_role("button", name="Stop").click()
    answer = wait_for_answer(page)
    assert "You stopped this answer" in answer.text_content()
    page.reload()
    assert "You stopped this answer" in page.locator("article.msg.assistant").last.text_content()
    assert page.get_by_role("button", name="Try again").is_visible()


def test_a_refused_message_is_said_under_the_box_and_stays_in_it(page, medbotx_server):
    """A refusal htmx swaps in (422 here; 429 past a limit takes the same path) shows its sentence in the
    composer's error line, and the text typed stays in the box to be sent again: nothing typed is lost."""
    start_as_guest(page, medbotx_server)
    box = page.get_by_label("Your question")
    too_long = "a" * (int(box.get_attribute("maxlength")) + 1)
    box.evaluate("(el, text) => { el.removeAttribute('maxlength'); el.value = text; }", too_long)
    box.press("Enter")
    error = page.locator("#composer-error")
    error.filter(has_text="too long").wait_for()
    assert box.input_value() == too_long
    assert page.locator("article.msg").count() == 0
    shot(page, "state-refused")


@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs", "/signup/", "/login/"])
def test_other_pages_run_under_the_policy_without_violations(page, medbotx_server, path):
    response = page.goto(medbotx_server.url + path)
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    # The `page` fixture fails the test on any Content-Security-Policy violation the page reported.


def test_the_policy_refuses_an_injected_inline_handler_and_the_watch_sees_it(context_factory, medbotx_server):
    from tests.browser.conftest import Watched

    watched = Watched(context_factory().new_page())
    watched.page.goto(medbotx_server.url + "/")
    watched.page.evaluate(
        "() => document.body.insertAdjacentHTML('beforeend', '<img src=\"/nope\" onerror=\"window.__ran = 1\">')"
    )
    watched.page.wait_for_timeout(300)
    assert watched.page.evaluate("() => window.__ran") is None
    assert any("Content Security Policy" in p for p in watched.problems), watched.problems


def test_an_emergency_shows_a_card_with_call_links_at_once(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "my dad's face is drooping on one side and he can't lift his arm")
    card = page.locator(".emergency-card").first
    card.wait_for()
    assert card.get_attribute("role") == "alert"
    call = card.get_by_role("link", name="Call 911")
    assert call.get_attribute("href") == "tel:911"
    answer = page.locator("article.msg.assistant").last.text_content()
    assert "Call 911 for your dad now" in answer and "Note the time" in answer  # spoken to the helper
    assert page.get_by_label("Your question").is_enabled()  # nothing streams: it is answered already
    assert page.locator(".notice.slim a[href='tel:911']").count() == 1  # and the notice on every chat page
    shot(page, "state-emergency")


IN_VIEW = """(card) => {
    const box = card.getBoundingClientRect();
    const composer = document.getElementById("composer").getBoundingClientRect();
    return {top: box.top, inView: box.top >= 0 && box.top < window.innerHeight && box.top < composer.top,
            focused: document.activeElement === card};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_an_emergency_answer_is_in_view_and_focused_the_moment_it_arrives(context_factory, medbotx_server, width):
    page = context_factory(viewport={"width": width, "height": 700}).new_page()
    start_as_guest(page, medbotx_server)
    ask(page, "what causes hay fever")  # a long ordinary answer first, so the page scrolls
    wait_for_answer(page, timeout=30_000)
    page.wait_for_function("() => !document.getElementById('message').disabled")
    ask(page, "me duele mucho el pecho y el brazo izquierdo, estoy sudando frío")
    card = page.locator(".emergency-card").last
    card.wait_for()
    page.wait_for_timeout(200)
    state = card.evaluate(IN_VIEW)
    assert state["inView"] and state["focused"], state  # above the question box, and read out
    assert card.get_attribute("lang") == "es" and card.get_by_role("link", name="Llamar al 911").count() == 1


def test_without_javascript_an_emergency_page_opens_on_the_answer(context_factory, medbotx_server):
    page = context_factory(java_script_enabled=False, viewport={"width": 390, "height": 700}).new_page()
    page.goto(medbotx_server.url + "/")
    page.get_by_role("button", name="Start as guest").click()
    page.get_by_role("button", name="I understand").click()
    page.get_by_label("Your question").fill("what causes migraines")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("article.msg.assistant .markdown h2", timeout=30_000)
    page.get_by_label("Your question").fill("I want to kill myself")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"#safety-[0-9a-f-]{36}$"))
    card = page.locator(".emergency-card").last
    box = card.bounding_box()
    assert box is not None and 0 <= box["y"] < 700, box


def test_the_frame_stays_put_and_only_the_conversation_scrolls(page, medbotx_server):
    page.set_viewport_size({"width": 1280, "height": 640})
    start_as_guest(page, medbotx_server)
    for question in ("what is a fever", "what is asthma", "what is type 2 diabetes"):
        ask(page, question)
        wait_for_answer(page)
        page.wait_for_function("() => !document.querySelector('[sse-connect]')")
    state = page.evaluate(
        """() => {
          const m = document.getElementById('messages'), c = document.getElementById('composer');
          return {page: document.scrollingElement.scrollHeight <= window.innerHeight + 1,
                  scrolls: m.scrollHeight > m.clientHeight,
                  header: document.querySelector('.topbar').getBoundingClientRect().top,
                  composer: c.getBoundingClientRect().bottom <= window.innerHeight + 1};
        }"""
    )
    assert state == {"page": True, "scrolls": True, "header": 0, "composer": True}


def test_stop_takes_send_s_place_and_escape_stops_the_answer(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "tell me about type 2 diabetes")
    wait_for_live_text(page, 20)
    composer = page.locator("#composer")
    assert composer.get_by_role("button", name="Stop").is_visible()
    assert not composer.get_by_role("button", name="Send").is_visible()
    page.keyboard.press("Escape")
    answer = wait_for_answer(page)
    assert "You stopped this answer" in answer.text_content()
    assert composer.get_by_role("button", name="Send").is_visible()


def test_on_a_phone_the_chats_drawer_closes_with_escape_or_a_tap_outside(context_factory, medbotx_server):
    page = context_factory(viewport={"width": 375, "height": 740}).new_page()
    start_as_guest(page, medbotx_server)
    ask(page, "what is a fever")
    wait_for_answer(page)
    sidebar, chats = page.locator("#sidebar"), page.get_by_role("button", name="Chats")
    chats.click()
    page.wait_for_function("() => document.getElementById('sidebar').classList.contains('open')")
    assert sidebar.get_by_role("link", name="+ New chat").is_visible()
    page.wait_for_timeout(300)  # the drawer's slide
    shot(page, "state-phone-drawer")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('sidebar').classList.contains('open')")
    assert chats.get_attribute("aria-expanded") == "false"
    chats.click()
    page.wait_for_function("() => document.getElementById('sidebar').classList.contains('open')")
    page.mouse.click(360, 600)  # outside the drawer, on the dimmed chat
    page.wait_for_function("() => !document.getElementById('sidebar').classList.contains('open')")


def test_copy_puts_the_answer_s_text_on_the_clipboard(context_factory, medbotx_server):
    context = context_factory()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=medbotx_server.url)
    page = context.new_page()
    start_as_guest(page, medbotx_server)
    ask(page, "what is a fever")
    answer = wait_for_answer(page)
    answer.get_by_role("button", name="Copy this answer").click()
    page.wait_for_function("() => document.querySelector('button.copy').textContent.startsWith('Copied')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("From MedBotX's built-in health library") and "Fever" in copied
    assert "Copy this answer" not in copied


def test_regenerate_and_edit_keep_the_earlier_versions_reachable(page, medbotx_server):
    start_as_guest(page, medbotx_server)
    ask(page, "what helps a sore throat")
    wait_for_answer(page)
    page.get_by_role("button", name="Regenerate this answer").click()
    page.wait_for_selector("article.msg.assistant.streaming")
    answer = wait_for_answer(page)
    answer.get_by_text("1 earlier answer").click()  # the earlier answer, still there
    assert answer.locator(".versions .markdown h2").first.is_visible()

    question = page.locator("article.msg.user").last
    question.locator("details.edit > summary").click()
    box = question.get_by_role("textbox")
    box.fill("what helps a cough")
    question.get_by_role("button", name="Send again").click()
    page.wait_for_selector("article.msg.user .versions")
    assert page.locator("article.msg.user .body").last.text_content().strip() == "what helps a cough"
    answer = wait_for_answer(page)
    assert "Cough" in answer.locator(".markdown h2").first.text_content()
    assert page.locator("article.msg").count() == 2  # in place: no message added


def test_axe_finds_no_violation_on_any_page_in_either_language(context_factory, medbotx_server):
    """axe-core on every page a person reaches, English and Spanish, with the chat's states open (an answer,
    its earlier version, the Edit form, a thread's menu, the feedback comment)."""
    for locale in ("en-US", "es-MX"):
        page = context_factory(locale=locale).new_page()
        seen = {}
        for path in ("/", "/login/", "/signup/", "/password-reset/", "/password-reset/sent/", "/nothing-here/"):
            page.goto(medbotx_server.url + path)
            seen[path] = axe_violations(page)
        page.goto(medbotx_server.url + "/")
        page.locator("form[action='/start/'] button").click()
        page.wait_for_url(re.compile(r"/notice/"))
        seen["notice"] = axe_violations(page)
        page.locator("form.actions button[type=submit]").click()
        page.wait_for_url(re.compile(r"/chat/$"))
        seen["empty chat"] = axe_violations(page)
        shot(page, f"state-empty-chat-{locale}")
        page.locator("#message").fill("what helps a sore throat")
        page.locator("#message").press("Enter")
        wait_for_answer(page)
        page.locator("form.regenerate button").click()
        page.wait_for_selector("article.msg.assistant.streaming")
        wait_for_answer(page)
        page.reload()
        for opener in ("article.msg.assistant .versions > summary", "article.msg.user details.edit > summary",
                       ".feedback details > summary", ".thread-menu > summary"):  # fmt: skip
            page.locator(opener).first.click()
        seen["chat"] = axe_violations(page)
        shot(page, f"state-versions-edit-{locale}")
        page.goto(page.url.split("#")[0] + "delete/")
        seen["delete"] = axe_violations(page)
        page.goto(medbotx_server.url + "/signup/")
        page.locator("#id_email").fill(f"axe-{locale}-{uuid.uuid4().hex[:8]}@example.com")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_url(re.compile(r"/chat/"))
        page.goto(medbotx_server.url + "/account/")
        seen["account"] = axe_violations(page)
        problems = {where: found for where, found in seen.items() if found}
        assert problems == {}, (locale, problems)


def test_axe_notices_a_violation(page, medbotx_server):
    """The check above can fail: an image without a text alternative, put in the page, is reported."""
    page.goto(medbotx_server.url + "/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert any(found.startswith("image-alt") for found in axe_violations(page))
