"""The course loader: ordering, keys, versions, front-matter errors with lines, links."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.loader import load_catalog
from tests.conftest import FIXTURE_COURSES


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "courses" / "demo"
    write(folder, "course.md", "---\ntitle: Demo\norder: 2\n---\nOverview.\n")
    return folder


def codes(catalog) -> list[tuple[str, int, str]]:
    return [(Path(d.path).name, d.line, d.code) for d in catalog.diagnostics]


def test_fixture_catalog_loads_cleanly_in_order():
    catalog = load_catalog(FIXTURE_COURSES)
    assert [(Path(d.path).name, d.code) for d in catalog.diagnostics] == [
        ("02-practice.md", "W101")]
    assert [c.key for c in catalog.courses] == ["basics", "quizzing", "trainer-notes"]
    basics = catalog.course("basics")
    assert [m.key for m in basics.modules] == ["welcome", "reading-lists", "wrap-up"]
    assert [m.version for m in basics.modules] == [1, 1, 2]
    assert basics.minutes == 16
    assert catalog.module("basics", "reading-lists").objectives == ("Read a walk list",
                                                                     "Spot a duplicate")


def test_modules_order_by_number_not_by_name(course: Path):
    write(course, "10-last.md", "---\ntitle: Last\n---\n")
    write(course, "2-second.md", "---\ntitle: Second\n---\n")
    write(course, "01-first.md", "---\ntitle: First\n---\n")
    write(course, "notes.md", "not a module")
    modules = load_catalog(course.parent).course("demo").modules
    assert [m.key for m in modules] == ["first", "second", "last"]
    assert [m.position for m in modules] == [1, 2, 3]


def test_pinned_id_keeps_the_key_across_renames(course: Path):
    write(course, "07-renamed-file.md", "---\ntitle: A\nid: original-key\n---\n")
    assert load_catalog(course.parent).course("demo").modules[0].key == "original-key"


def test_duplicate_keys_are_reported_and_the_first_kept(course: Path):
    write(course, "01-intro.md", "---\ntitle: One\n---\n")
    write(course, "02-other.md", "---\ntitle: Two\nid: intro\n---\n")
    catalog = load_catalog(course.parent)
    assert [m.title for m in catalog.course("demo").modules] == ["One"]
    assert ("02-other.md", 1, "C005") in codes(catalog)


def test_front_matter_errors_carry_file_and_line(course: Path):
    write(course, "01-bad-yaml.md", "---\ntitle: Fine\nminutes: [unclosed\nversion: 1\n---\nBody\n")
    write(course, "02-no-title.md", "---\nminutes: 5\n---\nBody\n")
    write(course, "03-bad-values.md",
          "---\ntitle: Values\nminutes: ten\nversion: 0\naudience: [aliens]\ncolour: red\n---\n")
    write(course, "04-good.md", "---\ntitle: Good\n---\nStill served.\n")
    catalog = load_catalog(course.parent)
    found = codes(catalog)
    assert any(name == "01-bad-yaml.md" and code == "C002" and line in (3, 4)
               for name, line, code in found)
    assert ("02-no-title.md", 1, "C003") in found
    assert ("03-bad-values.md", 3, "C004") in found  # minutes
    assert ("03-bad-values.md", 4, "C004") in found  # version
    assert ("03-bad-values.md", 5, "C004") in found  # audience
    assert ("03-bad-values.md", 6, "C008") in found  # unknown key: a warning
    assert [m.key for m in catalog.course("demo").modules] == ["bad-values", "good"]
    assert all(str(d).startswith(d.path + f":{d.line}:") for d in catalog.diagnostics)


def test_unclosed_front_matter(course: Path):
    write(course, "01-open.md", "---\ntitle: Open\n")
    assert ("01-open.md", 1, "C002") in codes(load_catalog(course.parent))


def test_link_to_missing_module_is_an_error_with_its_line(course: Path):
    write(course, "01-a.md", "---\ntitle: A\n---\nline one\n\nSee [B](02-b.md) and [C](03-c.md).\n")
    write(course, "02-b.md", "---\ntitle: B\n---\n")
    catalog = load_catalog(course.parent)
    assert ("01-a.md", 6, "C006") in codes(catalog)
    assert len(catalog.errors) == 1


def test_images_and_links_cannot_escape_the_course_folder(course: Path):
    (course.parent / "secret.png").write_bytes(b"x")
    write(course, "01-a.md", "---\ntitle: A\n---\n![x](../secret.png)\n\n[y](/etc/passwd)\n")
    catalog = load_catalog(course.parent)
    assert [c for _, _, c in codes(catalog)] == ["C006", "C006"]
    html = catalog.module("demo", "a").parts[0]
    assert "files/../" not in html


def test_bom_and_crlf_are_read(course: Path):
    (course / "01-win.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\n## Hi\r\n")
    module = load_catalog(course.parent).module("demo", "win")
    assert module.title == "Windows" and 'id="hi"' in module.parts[0]


def test_missing_course_md_is_reported(tmp_path: Path):
    write(tmp_path / "courses" / "orphan", "01-a.md", "---\ntitle: A\n---\n")
    catalog = load_catalog(tmp_path / "courses")
    assert catalog.courses == () and [d.code for d in catalog.errors] == ["C001"]
