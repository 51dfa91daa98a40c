"""Markdown while an answer streams (assistant/rendering.py): where its finished blocks end, and the block being
written rendered as the parser would, through the fast path for plain lines too."""

import random

import pytest

from assistant.rendering import _PLAIN, finished_blocks, live_parts, render_markdown, render_tail


@pytest.mark.parametrize(
    ("text", "finished"),
    [
        ("Hello world", 0),
        ("Para one.\n\nPara two", len("Para one.\n\n")),
        ("Para one.\n\n", 0),  # the next block has not started: the blank line may precede a continuation
        ("## Head\n\nText\n\n- a\n- b\n\n", len("## Head\n\nText\n\n")),
        ("```\ncode\n\nmore\n```\n\nAfter", len("```\ncode\n\nmore\n```\n\n")),  # a blank line inside a fence
        ("```\ncode\n\nmore", 0),
        ("1. item\n\n   continued\n\n2. next", len("1. item\n\n   continued\n\n")),  # indented: same item
        ("a\r\n\r\nb", len("a\r\n\r\n")),
        ("~~~\n\n```\n\nstill code", 0),  # a fence closes only with its own kind
    ],
)
def test_finished_blocks_end_where_the_next_block_starts(text, finished):
    assert finished_blocks(text) == finished


def test_live_parts_render_the_finished_blocks_and_the_tail_apart():
    blocks, tail, offset = live_parts("## Asthma\n\nA long-term **lung** condition")
    assert offset == len("## Asthma\n\n")
    assert blocks == "<h2>Asthma</h2>\n" and tail == "<p>A long-term <strong>lung</strong> condition</p>\n"


def test_the_plain_line_fast_path_gives_the_parser_s_html():
    rng = random.Random(7)
    alphabet = [*"abcde fgh XYZ'(),.:;?\"\n  \t-1.é€%$@/", "1. ", "  \n", "http://x.y", "&amp;", "www.x.com", "=", "+"]
    fast = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        fast += bool(_PLAIN.fullmatch(text))
        assert render_tail(text) == render_markdown(text), repr(text)
    assert fast > 3_000  # the fast path was taken, and agreed each time
    assert render_tail("Asthma <b>is</b> common") == render_markdown("Asthma <b>is</b> common")  # markup: parser
