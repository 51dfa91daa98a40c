"""Markdown to HTML for replies, sanitized: whatever a model (or a person) writes is shown inert."""

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
