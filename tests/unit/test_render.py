"""Rendering: the allowlisted extensions and the sanitiser (a corpus of injection attempts)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from lms.content import render

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    "<object data=x></object><embed src=x>",
    "<form action=//evil><input name=p></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<p>ok</p>{: onclick=\"alert(1)\" }",
    '<details open ontoggle=alert(1)>x</details>',
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content='0;url=//evil'>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<<script>script>alert(1)<</script>/script>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '<div markdown="1" onmouseover="alert(1)">*x*</div>',
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_comes_out_inert(source: str):
    html = render.render_markdown(source)
    found = parsed(html)
    assert not set(found.tags) - render.ALLOWED_TAGS
    assert "script" not in found.tags
    assert not [name for name, _ in found.attrs if name.startswith("on") or name == "style"]
    for name, value in found.attrs:
        if name in ("href", "src") and value and ":" in value.split("/")[0]:
            assert value.split(":")[0].lower() in render.URL_SCHEMES


@pytest.mark.parametrize("source", HOSTILE + ["# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |"])
def test_resanitising_rendered_output_changes_nothing(source: str):
    html = render.render_markdown(source)
    assert render.sanitise(html) == html


def test_links_get_noopener():
    assert 'rel="noopener noreferrer"' in render.render_markdown("[x](https://example.org)")


def test_tables_admonitions_and_heading_anchors():
    html = render.render_markdown(
        "## Walk lists\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! warning \"Careful\"\n    Text\n")
    assert '<h2 id="walk-lists">' in html and "<table>" in html
    assert '<div class="admonition warning">' in html


def test_the_extension_list_is_the_allowlist():
    assert render.EXTENSIONS == (
        "tables", "admonition", "toc", "sane_lists", "pymdownx.superfences",
        "pymdownx.betterem", "pymdownx.tilde",
    )
    assert not {"attr_list", "md_in_html", "extra"} & set(render.EXTENSIONS)


def test_a_table_scrolls_in_its_own_focusable_box():
    html = render.render_markdown("Intro\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter")
    assert '<div class="table-scroll" tabindex="0"><table>' in html
    assert html.index("Intro") < html.index("table-scroll") < html.index("After")
    assert html.count("<table>") == 1 and "</table></div>" in html
