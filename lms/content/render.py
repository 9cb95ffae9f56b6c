"""Markdown -> sanitised HTML: the one rendering choke point for course text.

Python-Markdown with an allowlisted set of extensions, then nh3 with an allowlist of tags,
attributes and URL schemes. Nothing edits the HTML after it leaves `render_markdown`.
Relative links and images are resolved against the course folder by `LinkResolver`, before
sanitising, so a module links to another module's page and an image to the course's files.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# attr_list and md_in_html would let authors attach onclick/style: never enable them.
EXTENSIONS: tuple[str, ...] = (
    "tables",
    "admonition",
    "toc",
    "sane_lists",
    "pymdownx.superfences",
    "pymdownx.betterem",
    "pymdownx.tilde",
)
EXTENSION_CONFIGS = {
    "toc": {"permalink": False, "toc_depth": "2-3"},
    "pymdownx.superfences": {"custom_fences": []},
}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "kbd", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"id"},
    "div": {"tabindex"},  # the box a table scrolls in (_TableScroller)
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
# Classes are allowed only through this map (nh3 refuses "class" in ALLOWED_ATTRIBUTES too).
ALLOWED_CLASSES = {
    "div": {"admonition", "note", "tip", "warning", "danger", "important", "info", "example",
            "table-scroll"},
    "p": {"admonition-title"},
    "code": {"language-text", "language-markdown", "language-python"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class LinkResolver:
    """Maps a relative link target to a URL, or records it as broken.

    `resolve(target)` returns the new URL, or None to keep the target as it is; it appends the
    target to `broken` when it points at nothing.
    """

    resolve: Callable[[str], str | None]
    broken: list[str] = field(default_factory=list)


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#")


class _LinkProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, resolver: LinkResolver | None) -> None:
        super().__init__(md)
        self.resolver = resolver

    def run(self, root: ET.Element) -> None:
        if self.resolver is None:
            return
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            target = element.get(attribute) if attribute else None
            if not target or _SCHEME.match(target):
                continue
            url = self.resolver.resolve(target)
            if url is not None:
                element.set(attribute, url)


class _TableScroller(Treeprocessor):
    """Put every table in a focusable box that scrolls sideways, so a wide table never
    squeezes its words apart on a phone nor widens the page."""

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    box = ET.Element("div", {"class": "table-scroll", "tabindex": "0"})
                    box.tail, child.tail = child.tail, None
                    box.append(child)
                    parent.remove(child)
                    parent.insert(index, box)


class _LinkExtension(Extension):
    def __init__(self, resolver: LinkResolver | None) -> None:
        super().__init__()
        self.processor: _LinkProcessor | None = None
        self.resolver = resolver

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        self.processor = _LinkProcessor(md, self.resolver)
        md.treeprocessors.register(self.processor, "evergreen_links", 1)
        md.treeprocessors.register(_TableScroller(md), "evergreen_tables", 0)


# Building a Markdown instance with its extensions costs more than converting a short block, and
# a catalog converts thousands of blocks (every quiz option is one): each thread keeps one
# instance and resets it before every conversion. The link step does nothing without a resolver.
_converters = threading.local()


def _converter() -> tuple[markdown.Markdown, _LinkProcessor]:
    md = getattr(_converters, "md", None)
    if md is None:
        links = _LinkExtension(None)
        md = markdown.Markdown(extensions=[*EXTENSIONS, links],
                               extension_configs=EXTENSION_CONFIGS)
        _converters.md, _converters.links = md, links.processor
    return md, _converters.links


def sanitise(html: str) -> str:
    """Keep only allowlisted tags, attributes, classes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Lines of plain prose (most quiz options and feedback): no character Markdown or HTML gives a
# meaning to, no leading or trailing space. Python-Markdown and the sanitiser turn such a block
# into one paragraph holding the text unchanged, so it skips both (a unit test proves the two
# paths agree).
_PLAIN_LINE = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:?'()/%$+=-]*")


def _is_plain(text: str) -> bool:
    return all(
        _PLAIN_LINE.fullmatch(line) and not line.endswith(" ") for line in text.split("\n")
    )


def render_markdown(text: str, resolver: LinkResolver | None = None) -> str:
    """Render a Markdown block to sanitised HTML."""
    if _is_plain(text):
        return f"<p>{text}</p>"
    md, links = _converter()
    links.resolver = resolver
    try:
        html = md.reset().convert(text)
    finally:
        links.resolver = None
    return sanitise(html)


def render_inline(text: str) -> str:
    """Render one line of Markdown without the surrounding paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def render_for_quiz(text: str, inline: bool) -> str:
    """The `render` callable the quiz parser takes."""
    return render_inline(text) if inline else render_markdown(text)
