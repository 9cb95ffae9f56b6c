"""The GIFT importer's text: HTML, Moodle and plain formats to Markdown, escaping, and lines
that would read as quiz syntax."""

from __future__ import annotations

from lms.content.gift import convert_gift
from tests.unit.gift_support import FIXTURES, convert, found, message, only, options, questions

# --- HTML to Markdown -------------------------------------------------------------------------


def test_realistic_moodle_export():
    result = convert_gift((FIXTURES / "moodle_export.gift").read_text(), "export.gift")
    md = result.markdown
    assert (result.imported, result.skipped) == (5, 0)
    assert [(d.code, d.line) for d in result.diagnostics] == [("G024", 17), ("G019", 33)]
    assert "question: 101" not in md and "<p" not in md and "&#39;" not in md
    assert "```quiz\nid: imported-canvassing\ntitle: Canvassing\n" in md
    assert "```quiz\nid: imported-numbers\ntitle: Numbers\n" in md
    assert ("// First words\n// tags: doorstep, intro\n"
            "Q: Someone opens the door. What do you **say first**?\nid: first-words\n"
            "( ) Ask who they plan to vote for\n  > Too direct for an opener.\n"
            "(x) Say your name and that you're a volunteer\n"
            "  > Yes. A clear, *friendly* introduction.\n"
            "( ) Hand over a leaflet & walk away\n") in md
    assert ("explain: Conversations that start with who you are last longer. "
            "See [the guide](https://example.org/guide).") in md
    assert ("Q: Which of these are **personal data**?\n\n"
            "- Think about *identifiability*\n- Use the `DoorLog` rules\n\n"
            "Line one<br>\nLine two\n\n![A doorstep](@@PLUGINFILE@@/door%20step.png)\n"
            "id: personal-data\n") in md
    assert "answer: false\ncorrect: Right: ask clearly.\nincorrect: A smile is not consent." in md
    assert "= DoorLog\n= Door Log\nnot= PhoneLog\n  > That one is for the phone bank." in md
    assert "door%20step.png" in message(result, "G024")
    types = [q.type for q in questions(result)]
    assert types == ["single_choice", "multiple_select", "true_false", "numeric", "short_text"]


def test_html_block_elements_and_escaping():
    result = convert(
        "[html]<h3>Role-play</h3><p>The voter says:</p>"
        "<blockquote><p>I never vote &amp; never will.</p></blockquote>"
        "<ol><li>Listen<ol><li>Nod</li></ol></li><li>Reply</li></ol>"
        "<p>Keep 2*3 &lt;b&gt;calm&lt;/b&gt; and_on &amp;copy; and&nbsp;x<sup>2</sup></p>"
        '<pre>print("x")\\n(x) still code</pre>{T}')
    stem = only(result).stem
    assert stem == (
        "### Role-play\n\nThe voter says:\n\n> I never vote & never will.\n\n"
        "1. Listen\n    1. Nod\n2. Reply\n\n"
        "Keep 2\\*3 &lt;b>calm&lt;/b> and\\_on &amp;copy; and x<sup>2</sup>\n\n"
        '```\nprint("x")\n(x) still code\n```')
    assert "Q:\n### Role-play\n" in result.markdown
    assert "\n\\> I never vote & never will.\n" in result.markdown
    assert "\n(x) still code\n" in result.markdown  # code samples are not escaped


def test_html_options_and_feedback_become_single_lines_and_paragraphs():
    result = convert(
        "[html]<p>Pick</p>{=<p>Line <em>one</em><br>two</p>#<p>First.</p><p>Second.</p> ~<p>b</p>}")
    assert "(x) Line *one* two\n  > First.\n  >\n  > Second.\n( ) b" in result.markdown
    assert options(only(result))[0] == ("Line *one* two", True, "First.\n\nSecond.")


def test_short_answers_from_html_are_plain_text():
    result = convert("[html]<p>App?</p>{=<b>Door</b>Log =%0%<p>Phone&amp;Log</p>#<p>No</p>}")
    assert "= DoorLog\nnot= Phone&Log\n  > No" in result.markdown


def test_hostile_html_is_neutralised():
    result = convert(
        '[html]<p onclick\\="steal()">Click <a href\\="javascript\\:alert(1)">here</a> or '
        '<a href\\="https\\://ok.org">there</a></p><script>alert(1)</script>'
        '<iframe src\\="https\\://evil.example"></iframe>'
        '<img src\\="data\\:image/png;base64,AAA" onerror\\="x()">'
        "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>"
        '{=<span onmouseover\\="x()">ok</span> ~no}')
    md = result.markdown
    for bad in ("<script", "onclick", "onerror", "onmouseover", "javascript", "iframe", "data:"):
        assert bad not in md, bad
    assert "Click here or [there](https://ok.org)" in md
    assert "&lt;script>alert(2)&lt;/script>" in md
    assert found(result, "G026") == [1, 1]
    assert "<script>" in message(result, "G026") and "onclick=" in message(result, "G026")
    assert options(only(result))[0] == ("ok", True, None)


def test_hostile_markdown_and_moodle_text_is_scrubbed():
    result = convert("""
        [markdown]See [this](javascript:alert(1)) <img src="x" onerror="y()"> <script>z()
        </script>{T}

        Plain moodle <a href="JavaScript:evil()" onclick='a()'>link</a>{T}
    """)
    md = result.markdown
    assert "javascript" not in md.lower() and "onerror" not in md and "onclick" not in md
    assert "<script" not in md
    assert "See [this](#alert(1)) <img src=\"x\">" in md
    assert found(result, "G026") == [1, 4]


def test_plain_format_is_markdown_escaped():
    result = convert("[plain]Use *stars* & <b>tags</b>\\n# not a heading\\n1. not a list{T}")
    assert only(result).stem == (
        "Use \\*stars\\* & &lt;b>tags&lt;/b><br>\n\\# not a heading<br>\n1\\. not a list")


def test_moodle_format_keeps_line_breaks():
    result = convert("""
        First line
        second line\\n\\n- a list
        - stays {T}
    """)
    assert "Q: First line<br>\nsecond line\n\n- a list\n- stays" in result.markdown


def test_escapes():
    result = convert(r"Braces \{x\} \= \~ \# \: a\\b\nnext {=a\=b#fb\#1 ~c\~d}")
    question = only(result)
    assert question.stem == "Braces {x} = ~ # : a\\b<br>\nnext"
    assert options(question) == [("a=b", True, "fb#1"), ("c~d", False, None)]


def test_pluginfile_references_warn_each():
    result = convert("""
        [html]<p><img src\\="@@PLUGINFILE@@/a.png"> and <a href\\="@@PLUGINFILE@@/b.pdf">b</a></p>{
        =<img src\\="@@PLUGINFILE@@/c.png" alt\\="c">
        ~no
        }
    """)
    assert found(result, "G024") == [1, 1, 2]
    assert "@@PLUGINFILE@@/b.pdf" in message(result, "G024").replace("a.png", "b.pdf")


# --- quiz-line escaping and fences ----------------------------------------------------------


def test_lines_that_look_like_quiz_markers_are_escaped():
    gift = (r"[markdown]Role-play:\nQ\: Can I come back?\n> quoted\n(a) first\n[x] box"
            r"\n- (x) item\n= sign\nnot= this\n// slashes\n\\ backslash\nNote\: kept"
            r"\nexplain\: not a keyword\n“answer\:” quoted{T}")
    result = convert(gift)
    assert only(result).stem == (
        "Role-play:\nQ: Can I come back?\n> quoted\n(a) first\n[x] box\n- (x) item\n= sign\n"
        "not= this\n// slashes\n\\ backslash\nNote: kept\nexplain: not a keyword\n"
        "“answer:” quoted")
    assert "\n\\Q: Can I come back?\n\\> quoted\n\\(a) first\n" in result.markdown
    assert "\n\\\\ backslash\n" in result.markdown


def test_fence_is_longer_than_any_backtick_run():
    result = convert("[markdown]Code:\\n````\\n```\\nx\\n```\\n````{T}")
    assert result.markdown.startswith("`````quiz\n")
    assert result.markdown.rstrip().endswith("\n`````")
    assert only(result).stem == "Code:\n````\n```\nx\n```\n````"


def test_explanation_starting_with_a_list_starts_on_its_own_line():
    result = convert("[html]<p>Q</p>{T####<ul><li>one</li><li>two</li></ul>}")
    assert "explain:\n- one\n- two" in result.markdown
    assert only(result).explain == "- one\n- two"


def test_crlf_and_bom():
    result = convert_gift("\ufeff::A::One? {T}\r\n\r\n::B::Two? {F}\r\n", "x.gift")
    assert [q.id for q in questions(result)] == ["a", "b"]


def test_empty_file():
    result = convert_gift("", "x.gift")
    assert (result.markdown, result.diagnostics, result.imported, result.skipped) == ("", (), 0, 0)
