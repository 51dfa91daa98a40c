"""Markdown to HTML for replies, sanitized: whatever a model (or a person) writes is shown inert."""

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# CommonMark with raw HTML off (it is shown as text) and tables; markdown-it also refuses
# javascript:, vbscript: and data: links. nh3 (the Ammonia sanitizer) then allows only these tags.
_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> SafeString:
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow"
    )
    return mark_safe(clean)  # noqa: S308 (sanitized just above)


_PROTECTED = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>|<a [^>]*>.*?</a>)", re.S)
_CITATION = re.compile(r"\[(\d{1,2})\]")


def link_citations(html: str, anchor: str, count: int) -> SafeString:
    """Each `[n]` in a rendered answer (n from 1 to `count`, outside code and links) becomes a link to the
    n-th source listed under it (`#<anchor>-n`)."""

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        return f'<a class="cite" href="#{anchor}-{n}">[{n}]</a>' if 1 <= n <= count else match.group(0)

    parts = _PROTECTED.split(html)
    out = [part if i % 2 else _CITATION.sub(link, part) for i, part in enumerate(parts)]
    return mark_safe("".join(out))  # noqa: S308 (only our own anchors added to sanitized HTML)


# --- An answer while it is written -------------------------------------------------------------------------
#
# The page shows a streaming answer as Markdown already: its finished blocks, each rendered once and appended,
# and the block being written (the tail), rendered again as it grows. A block is finished when the next one
# starts: a line that begins at the margin after a blank line, outside a fenced code block (an indented line
# after a blank line may still belong to the list item or the code above it, so it does not count). Rendered
# block by block, a loose list can show as several lists; the finished answer, rendered whole, replaces it.

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def finished_blocks(text: str) -> int:
    """How much of `text` is finished Markdown blocks: the offset where the last started block begins (0 while
    the first is still being written)."""
    boundary = 0
    fence = ""  # the opening fence while inside a fenced code block
    blank_before = False
    position = 0
    for line in text.splitlines(keepends=True):
        start, position = position, position + len(line)
        opener = _FENCE.match(line)
        if fence:
            closing = opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence)
            if closing and opener and not line[opener.end() :].strip():
                fence = ""
            blank_before = False
            continue
        if not line.strip():
            blank_before = True
            continue
        if blank_before and line[0] not in " \t":
            boundary = start
        blank_before = False
        if opener and line.endswith(("\n", "\r")):
            fence = opener.group(1)
    return boundary


# A line in which Markdown could mark nothing: no character Markdown or HTML gives a meaning to, nothing that
# could open a block (a list, a heading, a quote, a code block). Most of the block being written is such a
# line, and it is rendered without the parser (a test checks that both give the same HTML).
_PLAIN = re.compile(r"[^*_`\[\]<>&!#|~\\\r\n=+\-\d\s][^*_`\[\]<>&!#|~\\\r\n]*")


def render_tail(text: str) -> SafeString:
    """The block being written, as render_markdown shows it, at a fraction of the cost when it is plain text."""
    if _PLAIN.fullmatch(text):
        return mark_safe(f"<p>{html.escape(text.rstrip(), quote=False)}</p>\n")  # noqa: S308 (escaped)
    return render_markdown(text)


def live_parts(text: str) -> tuple[SafeString, SafeString, int]:
    """A streaming answer as the page first shows it: its finished blocks and its tail, rendered, and where
    the tail starts (the page's stream goes on from there)."""
    cut = finished_blocks(text)
    return render_markdown(text[:cut]), render_tail(text[cut:]), cut
