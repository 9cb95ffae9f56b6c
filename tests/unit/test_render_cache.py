"""The render cache and the rendering shortcuts: a catalog loaded from the cache, or rendered
with a reused Markdown instance or the plain-text path, is exactly what rendering from scratch
gives; an edit, a new file beside a module or a damaged cache file is never served stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content import cache as cache_module
from lms.content import render
from lms.content.cache import RenderCache
from lms.content.loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "courses"
SHIPPED = ROOT / "courses"


def module_count(catalog) -> int:
    return sum(len(course.modules) for course in catalog.courses)


def scratch_render(text: str) -> str:
    """What render_markdown did before it kept a converter: a new Markdown for every block."""
    md = markdown.Markdown(extensions=[*render.EXTENSIONS, render._LinkExtension(None)],
                           extension_configs=render.EXTENSION_CONFIGS)
    return render.sanitise(md.convert(text))


@pytest.fixture
def courses(tmp_path: Path) -> Path:
    target = tmp_path / "courses"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.mark.parametrize("source", [FIXTURES, SHIPPED], ids=["fixtures", "shipped"])
def test_cold_and_warm_loads_equal_an_uncached_load(source: Path, tmp_path: Path):
    uncached = load_catalog(source)
    cold_cache = RenderCache(tmp_path / "cache")
    cold = load_catalog(source, cold_cache)
    warm_cache = RenderCache(tmp_path / "cache")
    warm = load_catalog(source, warm_cache)
    assert cold == uncached and warm == uncached
    assert cold.diagnostics == warm.diagnostics == uncached.diagnostics
    assert cold_cache.hits == 0 and cold_cache.misses == module_count(uncached) > 0
    assert warm_cache.hits == module_count(uncached) and warm_cache.misses == 0


def test_an_edited_module_is_rendered_again(courses: Path, tmp_path: Path):
    load_catalog(courses, RenderCache(tmp_path / "cache"))
    path = courses / "basics" / "01-welcome.md"
    path.write_text(path.read_text() + "\n\nA sentence added **after** the first load.\n")
    cache = RenderCache(tmp_path / "cache")
    edited = load_catalog(courses, cache)
    assert edited == load_catalog(courses)
    assert "<strong>after</strong>" in "".join(
        part for part in edited.module("basics", "welcome").parts if isinstance(part, str))
    assert cache.misses == 1


def test_a_file_added_beside_a_module_changes_its_links(courses: Path, tmp_path: Path):
    path = courses / "basics" / "01-welcome.md"
    path.write_text(path.read_text() + "\n\nSee [the sheet](sheet.csv).\n")
    before = load_catalog(courses, RenderCache(tmp_path / "cache"))
    assert any("sheet.csv" in d.message for d in before.diagnostics)
    (courses / "basics" / "sheet.csv").write_text("a,b\n")
    after = load_catalog(courses, RenderCache(tmp_path / "cache"))
    assert after == load_catalog(courses)
    assert not any("sheet.csv" in d.message for d in after.diagnostics)
    assert 'href="files/sheet.csv"' in "".join(
        part for part in after.module("basics", "welcome").parts if isinstance(part, str))


def test_an_engine_change_makes_new_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    cache = RenderCache(tmp_path / "cache")
    key = cache.key("basics", "01-welcome.md", "text")
    assert key == cache.key("basics", "01-welcome.md", "text")
    monkeypatch.setattr(cache_module, "_engine", "another version of the engine")
    assert cache.key("basics", "01-welcome.md", "text") != key


def test_a_damaged_cache_file_is_ignored(courses: Path, tmp_path: Path):
    load_catalog(courses, RenderCache(tmp_path / "cache"))
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    cache = RenderCache(tmp_path / "cache")
    assert load_catalog(courses, cache) == load_catalog(courses)
    assert cache.hits == 0


def test_an_unwritable_cache_folder_only_costs_time(courses: Path, tmp_path: Path):
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder cannot be made here")
    cache = RenderCache(blocked / "cache")
    assert load_catalog(courses, cache) == load_catalog(courses)
    assert cache.hits == 0 and not list(tmp_path.rglob("*.pickle"))


def test_the_kept_converter_renders_like_a_new_one():
    blocks = [path.read_text(encoding="utf-8") for path in SHIPPED.rglob("*.md")]
    blocks += [block for text in blocks for block in text.split("\n\n")]
    assert len(blocks) > 500
    for text in blocks:
        assert render.render_markdown(text) == scratch_render(text)


PLAIN_ALPHABET = "aZ9 ,.;:?'()/%$+=-\n"
TRICKY = ["1. one", "- item", "a  \nb", "Setext\n===", "Title\n---", "a\n\nb", " a", "a ",
          "x = 1", "What (and why)?", "5% or $5", "a/b/c", "n+1"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=PLAIN_ALPHABET, min_size=1, max_size=40) | st.sampled_from(TRICKY))
def test_the_plain_text_path_agrees_with_markdown(text: str):
    assert render.render_markdown(text) == scratch_render(text)


def test_the_plain_text_path_is_taken_for_plain_prose_only():
    assert render._is_plain("Yes. Read the plan (page 2), then ask: who is on the list?")
    assert render._is_plain("Two lines\nof prose")
    for text in ("*em*", "a <b>", "a & b", "[x](y)", "# Head", "a  ", "- item", "a\n\nb", ""):
        assert not render._is_plain(text), text
