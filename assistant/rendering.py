"""Markdown to HTML for replies, sanitized: whatever a model (or a person) writes is shown inert."""

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
