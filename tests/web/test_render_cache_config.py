"""The app loads its catalog through the render cache: in <instance>/cache by default, in the
folder LMS_RENDER_CACHE_DIR names, or not at all when it says "off"."""

from __future__ import annotations

from pathlib import Path

from lms import create_app


def make(app_config: dict, **extra):
    return create_app({**app_config, **extra})


def test_the_cache_defaults_to_the_instance_folder(app, tmp_path: Path):
    store = app.extensions["lms.catalog"]
    assert store.cache.directory == Path(app.instance_path) / "cache"
    assert list(store.cache.directory.rglob("*.pickle"))
    with app.test_client() as client:
        assert client.get("/courses/basics/welcome").status_code == 200


def test_the_cache_folder_can_be_named_or_switched_off(app_config: dict, tmp_path: Path,
                                                        monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    named = make(app_config, RENDER_CACHE_DIR=str(tmp_path / "elsewhere"))
    assert named.extensions["lms.catalog"].cache.directory == tmp_path / "elsewhere"
    assert list((tmp_path / "elsewhere").rglob("*.pickle"))
    again = make(app_config, RENDER_CACHE_DIR=str(tmp_path / "elsewhere"))
    assert again.extensions["lms.catalog"].cache.hits > 0
    assert again.extensions["lms.catalog"].catalog == named.extensions["lms.catalog"].catalog
    off = make(app_config, RENDER_CACHE_DIR="off")
    assert off.extensions["lms.catalog"].cache is None
    assert off.extensions["lms.catalog"].catalog == named.extensions["lms.catalog"].catalog
