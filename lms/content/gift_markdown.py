"""GIFT text to Markdown: the four GIFT text formats, sanitising, and quiz-line escaping.

`TextConverter` turns a `GiftText` into Markdown that reads well in a module file and renders
the same in our renderer (Python-Markdown) and on GitHub (CommonMark):

* `[html]`: sanitised with BeautifulSoup (script, style, iframes, forms, `on*` attributes
  and non-http(s)/mailto/tel links dropped), then converted by markdownify: paragraphs,
  **bold**, *italic*, lists (nested lists indented by 4 spaces, which both renderers read),
  links, images, code, tables; `<br>` stays `<br>`. Text is escaped so that nothing in it
  turns into Markdown or HTML by accident (`&lt;` and `&amp;` where `<` or `&` could start
  a tag or an entity, since Python-Markdown does not read `\\<`).
* `[markdown]`: as-is, with raw `<script>`, event handlers and `javascript:` links removed.
* `[moodle]` (the default): as-is with line breaks kept (`<br>`), scrubbed like Markdown.
* `[plain]`: Markdown-escaped, line breaks kept.

It also warns about `@@PLUGINFILE@@` references (G024) and removed HTML (G026). The
`quiz_lines` helper escapes lines that the quiz parser would otherwise read as markers.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from markdownify import MarkdownConverter

from lms.content.diagnostics import Diagnostic, warning
from lms.content.gift_parse import BLANK, GiftText

_DROP_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
              "form", "input", "button", "textarea", "select", "noscript", "template", "svg",
              "math", "link", "meta", "base", "head", "title"}
_QUIET_TAGS = {"style", "link", "meta", "head", "title"}  # dropped without a warning
_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/?([^\s\"'<>()\]]*)")
_BLOCK_START = re.compile(r"^(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|```|~~~|\||\s{4})")
_QUOTES = "\"'`*_\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
_QUIZ_MARKER = re.compile(  # markers, and any "word:" (keywords and near-misses of them)
    rf"""^(\\|//|>|=|not=|[(\[]|[-*+]\s+[(\[]|[Qq]\d*\s*:
    |[{_QUOTES}]*\s*[^\W\d_][\w-]*\s*[{_QUOTES}]*\s*:)""", re.I | re.X)


class _Markdownify(MarkdownConverter):
    """markdownify with our escaping, `<br>` kept, and 4-space nested lists."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text)

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " if "_inline" in parent_tags else "<br>\n"

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = int(start) if start.isdigit() else 1
            bullet = f"{number + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        rest = ["    " + line if line.strip() else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"


_CONVERTER = _Markdownify(heading_style="ATX", sub_symbol="<sub>", sup_symbol="<sup>",
                          escape_asterisks=False, escape_underscores=False)


def escape_text(text: str) -> str:
    """Escape plain text so Markdown renders it literally (both renderers)."""
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    if text.count("~") > 1:
        text = text.replace("~", "\\~")
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = re.sub(r"^(\s*)([>#]|[+-](?=\s|$|-))", r"\1\\\2", text, flags=re.M)
    text = re.sub(r"^(\s*)=(?==*\s*$)", r"\1&#61;", text, flags=re.M)  # no '\=' in Python-Markdown
    return re.sub(r"^(\s*\d+)([.)])(?=\s|$)", r"\1\\\2", text, flags=re.M)


class TextConverter:
    """Converts GIFT texts of one file, collecting warnings about what it had to change."""

    def __init__(self, path: str, diags: list[Diagnostic]) -> None:
        self.path = path
        self.diags = diags

    def block(self, gt: GiftText, line: int) -> str:
        """Markdown for question text, explanations and descriptions."""
        self._plugin_files(gt.text, line)
        if gt.fmt == "html":
            md = self._html(gt.text, line)
        elif gt.fmt == "plain":
            md = _hard_breaks(escape_text(gt.text))
        else:
            md = self._scrub(gt.text, line)
            if gt.fmt == "moodle":
                md = _hard_breaks(md)
        md = re.sub(r"^_____$", r"\\_____", md.replace(BLANK, "_____"), flags=re.M)
        rows = md.split("\n")
        for i, row in enumerate(rows):  # no <br> at the end of a paragraph
            while row.endswith("<br>") and not "".join(rows[i + 1:i + 2]).strip():
                row = row[:-4].rstrip()
            rows[i] = row
        return re.sub(r"\n{3,}", "\n\n", "\n".join(rows)).strip()

    def inline(self, gt: GiftText, line: int) -> str:
        """One line of Markdown, for options."""
        md = self.block(gt, line)
        md = re.sub(r"(<br>)?\n+", " ", md)
        return re.sub(r" {2,}", " ", md).strip()

    def plain(self, gt: GiftText, line: int) -> str:
        """Literal text for typed answers ('= Paris'): tags removed, entities decoded."""
        text = gt.text
        if gt.fmt == "html":
            text = _soup(text).get_text()
        return " ".join(text.split())

    def _html(self, html: str, line: int) -> str:
        soup = _soup(html)
        removed = _sanitise(soup)
        if removed:
            self.diags.append(warning(self.path, line, "G026", "Removed HTML that is not "
                                      f"allowed in course text: {', '.join(removed)}."))
        md = _CONVERTER.convert_soup(soup).replace("\xa0", " ")
        return "\n".join(ln.rstrip() for ln in md.split("\n"))

    def _scrub(self, text: str, line: int) -> str:
        removed: list[str] = []
        pattern = r"(?is)<(script|style|iframe|object|embed|form)\b.*?(</\1\s*>|\Z)"
        if re.search(pattern, text):
            removed.append("<script>/<iframe>-like elements")
            text = re.sub(pattern, "", text)
        handler = r"(?i)(<[a-z][^>]*?)\s+on[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]*)"
        if re.search(handler, text):
            removed.append("event handler attributes")
            while re.search(handler, text):
                text = re.sub(handler, r"\1", text)
        url = r"(?i)(\]\(\s*<?|(?:href|src)\s*=\s*[\"']?)\s*(?:javascript|vbscript|data)\s*:"
        if re.search(url, text):
            removed.append("javascript: links")
            text = re.sub(url, r"\1#", text)
        if removed:
            self.diags.append(warning(self.path, line, "G026", "Removed HTML that is not "
                                      f"allowed in course text: {', '.join(removed)}."))
        return text

    def _plugin_files(self, text: str, line: int) -> None:
        for m in _PLUGINFILE.finditer(text):
            name = m.group(1) or "(unnamed)"
            self.diags.append(warning(self.path, line, "G024", f"'@@PLUGINFILE@@/{name}' refers "
                                      "to a file stored in Moodle; GIFT exports do not contain "
                                      "it. Add the file to the course and fix the link."))


def _soup(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "html.parser")


def _sanitise(soup: BeautifulSoup) -> list[str]:
    """Drop dangerous elements, attributes and links in place; name what was dropped."""
    removed: list[str] = []
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in _DROP_TAGS:
            if tag.name not in _QUIET_TAGS:
                removed.append(f"<{tag.name}>")
            tag.decompose()
            continue
        for attr in list(tag.attrs):
            if attr.lower().startswith("on"):
                removed.append(f"{attr}=")
                del tag.attrs[attr]
        for attr in ("href", "src"):
            value = tag.get(attr)
            if isinstance(value, str) and not _safe_url(value):
                removed.append(f"{attr}={value.strip()[:30]!r}")
                del tag.attrs[attr]
                if tag.name == "img":
                    tag.decompose()
                    break
    return list(dict.fromkeys(removed))


def _safe_url(url: str) -> bool:
    compact = re.sub(r"[\x00-\x20]", "", url).lower()
    m = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return m is None or m.group(1) in _SAFE_SCHEMES


def _hard_breaks(text: str) -> str:
    """Keep single line breaks as `<br>` unless the next line starts a Markdown block."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and nxt.strip() and not _BLOCK_START.match(nxt) \
                and not _BLOCK_START.match(line) and not line.endswith("<br>"):
            line += "<br>"
        out.append(line)
    return "\n".join(out)


def needs_escape(line: str) -> bool:
    """Would the quiz parser read this line as something other than plain text?"""
    return bool(_QUIZ_MARKER.match(line.lstrip()))


def quiz_lines(md: str, first: str) -> list[str]:
    """`md` as quiz lines after `first` ('Q:', 'explain:'...), escaping continuation lines.

    Lines inside ``` / ~~~ code samples are left alone: the quiz parser keeps them verbatim.

    When the Markdown starts with a block (heading, list, quote, code), `first` stands alone
    on its line so that the block starts at the beginning of a line.
    """
    lines = md.split("\n") if md else [""]
    head = [f"{first} {lines[0]}".rstrip()]
    if _BLOCK_START.match(lines[0]):
        head, lines = [first], ["", *lines]
    out, code = head, ""
    for line in lines[1:]:
        body = line.strip()
        if code:  # the quiz parser keeps code samples verbatim: no escaping inside
            code = "" if body.startswith(code) and not body.strip(code[0]) else code
        elif m := re.match(r"`{3,}|~{3,}", body):
            code = m.group(0)
            if needs_escape(line):  # "```hint:" would read as a misspelt keyword
                line = line.replace(code, code + " ", 1)
        elif needs_escape(line):
            line = f"{line[: len(line) - len(line.lstrip())]}\\{line.lstrip()}"
        out.append(line)
    return [*out, code] if code else out  # an unclosed sample would swallow the answers


def fence_for(lines: list[str]) -> str:
    """A backtick fence longer than any backtick run in `lines` (at least three)."""
    longest = max((len(m) for ln in lines for m in re.findall(r"`+", ln)), default=0)
    return "`" * max(3, longest + 1)
