"""A model's [n] citations link to the n-th source listed under its answer."""

from assistant.rendering import link_citations, render_markdown


def test_citations_become_links_to_their_sources():
    html = render_markdown("Rest helps [1]. Fluids too [2][3]. See [9].")
    linked = link_citations(html, "src-r", 2)
    assert '<a class="cite" href="#src-r-1">[1]</a>' in linked
    assert '<a class="cite" href="#src-r-2">[2]</a>' in linked
    assert "[3]" in linked and 'href="#src-r-3"' not in linked  # only as many as there are sources
    assert "See [9]" in linked


def test_citations_in_code_and_links_are_left_alone():
    html = render_markdown("Use `a[1]` or\n\n```\nx = y[2]\n```\n\nand [the page](https://example.org) [1]")
    linked = link_citations(html, "src-r", 2)
    assert "<code>a[1]</code>" in linked and "x = y[2]" in linked
    assert linked.count('class="cite"') == 1


def test_the_page_links_a_model_answer_s_citations(db):
    from accounts.identity import Identity
    from assistant.pages import entry
    from conversations import actions
    from conversations.models import Message
    from tests.conftest import make_user

    user = make_user("cites@example.com")
    thread = actions.create_thread(Identity(user=user), "Cites")
    sources = [{"title": "MedlinePlus: Asthma", "url": "https://medlineplus.gov/asthma.html"}]
    reply = actions.append_message(
        thread, Message.Role.ASSISTANT, "Asthma narrows the airways [1].", provider="groq", sources=sources
    )
    view = entry(reply, thread)
    assert f'href="#src-{reply.public_id}-1"' in view["html"]
