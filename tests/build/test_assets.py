"""Pinned npm assets: a tarball that fails its integrity check is refused and removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.cache import cache_dir
from shipyard.errors import AssetError
from shipyard.site.npm_assets import ASSETS, PYODIDE, ensure_asset, integrity_of


def test_cached_assets_hold_every_file_a_site_ships() -> None:
    for asset in ASSETS:
        folder = ensure_asset(asset)
        assert all((folder / Path(name).name).stat().st_size > 0 for name in asset.files)
        assert folder.is_relative_to(cache_dir())


def test_tampered_tarball_is_refused_and_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPYARD_CACHE_DIR", str(tmp_path))
    tarball = tmp_path / "tarballs" / PYODIDE.tarball
    tarball.parent.mkdir()
    tarball.write_bytes(b"not the package")
    with pytest.raises(AssetError, match="does not match the integrity hash published for pyodide@314.0.7"):
        ensure_asset(PYODIDE)
    assert not tarball.exists()
    assert not (tmp_path / "npm").exists()


def test_integrity_is_the_registrys_sha512_format(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"abc")
    assert integrity_of(tmp_path / "f") == (
        "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
    )
