"""Pinned browser assets from the npm registry: fetched once, verified, cached.

`ensure_asset` is the only function that downloads. It asks `npm pack` for the
tarball (so the user's npm registry, proxy and credentials settings apply),
checks it against the integrity hash pinned here, and extracts just the files
a site ships into a versioned cache directory.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shipyard.cache import cache_dir, cache_error, read_cached, record_sizes, sizes_of, whole
from shipyard.errors import AssetError, last_line, os_reason


@dataclass(frozen=True)
class NpmAsset:
    name: str
    version: str
    integrity: str  # the registry's `dist.integrity`: "sha512-" + base64 digest
    files: tuple[str, ...]  # paths inside the tarball's `package/` folder
    variant: str = ""  # tells apart two choices of files from one tarball in the cache

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def names(self) -> tuple[str, ...]:
        """The files' names in the cached folder, as a site ships them."""
        return tuple(Path(file).name for file in self.files)

    @property
    def tarball(self) -> str:
        """The file name `npm pack` gives this package."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"


PYODIDE = NpmAsset(
    "pyodide",
    "314.0.7",
    "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
    ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"),
)

# The CPU wasm build in one bundle: it runs the ai.onnx.ml operators scikit-learn
# models need, and fetches only its .wasm (the WebGPU builds are larger).
ONNXRUNTIME_WEB = NpmAsset(
    "onnxruntime-web",
    "1.30.0",
    "sha512-q0y+JrrtukXSzsBWEMccVfqX25LRmosXHF+CaRJmg8pZClzcV7svNc4rKY3jL02Vb7QmRMDs1SigqR4CXAfKYQ==",
    ("dist/ort.wasm.bundle.min.mjs", "dist/ort-wasm-simd-threaded.wasm"),
)

# The WebGPU build (JSEP: WebGPU and the wasm CPU kernels in one binary, so it still runs
# the ai.onnx.ml operators, unlike the `ort.webgpu.*` build), for sites built with --gpu only:
# its wasm is about twice the CPU build's.
ONNXRUNTIME_WEB_GPU = NpmAsset(
    ONNXRUNTIME_WEB.name,
    ONNXRUNTIME_WEB.version,
    ONNXRUNTIME_WEB.integrity,
    ("dist/ort.bundle.min.mjs", "dist/ort-wasm-simd-threaded.jsep.wasm"),
    variant="webgpu",
)

# The page's decoder for the files shipped brotli-compressed (see `brotli`): Rust's
# brotli-decompressor built to wasm (208 KB, half that gzipped), as an ES module.
BROTLI_DECODER = NpmAsset(
    "brotli-dec-wasm",
    "2.3.2",
    "sha512-5H+k8eVLIJY6B4olN2HP9QzJAxcplf0jV7mWnkpxvOSeUE9Npg3dQ2pgLn30a9MUFHNro1iSmtdu6VNdlb+TIw==",
    ("pkg/brotli_dec_wasm.js", "pkg/brotli_dec_wasm_bg.wasm"),
)

ASSETS = (PYODIDE, ONNXRUNTIME_WEB, BROTLI_DECODER)


def ensure_asset(asset: NpmAsset) -> Path:
    """The folder holding `asset.files` (by base name), downloading and verifying if needed.
    Files cut short since they were extracted are extracted again (see `cache`)."""
    suffix = f"-{asset.variant}" if asset.variant else ""
    target = cache_dir() / "npm" / f"{asset.tarball.removesuffix('.tgz')}{suffix}"
    files = [target / name for name in asset.names]
    record = sizes_of(target)
    if whole(files, record):
        return target
    tarball = cache_dir() / "tarballs" / asset.tarball
    try:
        if not tarball.is_file():
            _download(asset, tarball.parent)
        _verify(asset, tarball)
        _extract(asset, tarball, target)
        record_sizes(files, record)
    except OSError as error:
        raise cache_error(error, target) from None
    return target


def _download(asset: NpmAsset, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise _offline_error(asset, folder, "npm is not installed")
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        try:
            result = subprocess.run(
                [npm, "pack", asset.spec, "--pack-destination", tmp, "--silent"],
                capture_output=True,
                text=True,
            )
        except OSError as error:  # npm is there but does not run
            raise _offline_error(asset, folder, f"{npm}: {os_reason(error)}") from None
        fetched = Path(tmp) / asset.tarball
        if result.returncode != 0 or not fetched.is_file():
            raise _offline_error(asset, folder, last_line(result.stderr) or "npm pack failed")
        fetched.replace(folder / asset.tarball)


def _offline_error(asset: NpmAsset, folder: Path, why: str) -> AssetError:
    return AssetError(
        f"could not download {asset.spec} from the npm registry ({why}). "
        f"Without network, run `npm pack {asset.spec}` on a machine that has it and copy "
        f"{asset.tarball} into {folder}/, then build again.",
        file=asset.spec,
    )


def integrity_of(path: Path) -> str:
    digest = hashlib.sha512(read_cached(path)).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _verify(asset: NpmAsset, tarball: Path) -> None:
    actual = integrity_of(tarball)
    if actual != asset.integrity:
        tarball.unlink()
        raise AssetError(
            f"{tarball.name} does not match the integrity hash published for {asset.spec} "
            f"(got {actual[:24]}…); the file was deleted, build again to fetch it anew",
            file=tarball,
        )


def _extract(asset: NpmAsset, tarball: Path, target: Path) -> None:
    """Extract the listed members only, by name, into a fresh folder swapped into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".partial-"))
    try:
        with tarfile.open(tarball) as archive:
            for name in asset.files:
                try:
                    member = archive.extractfile(f"package/{name}")
                except KeyError:
                    member = None
                if member is None:
                    raise AssetError(f"{name} is missing from {tarball.name}", file=tarball)
                with member, open(tmp / Path(name).name, "wb") as out:
                    shutil.copyfileobj(member, out)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
