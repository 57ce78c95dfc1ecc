"""What --gpu adds to a site: onnxruntime-web's files in the CPU build a site ships by
default and in the WebGPU build a --gpu site ships instead, raw, as the site holds them
(the wasm brotli-compressed by shipyard) and as a host sends them (the module gzipped at level 6,
as static hosts do).

    python benchmarks/gpu_bytes.py

Reads the pinned assets from the cache (fetching them once, as a build does); times nothing.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.site.brotli import brotlied  # noqa: E402
from shipyard.site.gpu import ort_asset  # noqa: E402
from shipyard.site.npm_assets import ensure_asset  # noqa: E402


def sizes(gpu: bool) -> tuple[int, int, int, int]:
    """The build's module raw and gzipped -6, its wasm raw and as shipped (brotli)."""
    asset = ort_asset(gpu)
    folder = ensure_asset(asset)
    module, wasm = (folder / name for name in asset.names)
    code = module.read_bytes()
    return len(code), len(gzip.compress(code, 6)), wasm.stat().st_size, brotlied(wasm).stat().st_size


def megabytes(n: int) -> str:
    return f"{n / 1e6:7.2f} MB"


def main() -> None:
    print(f"{'build':<8}{'module':>11}{'gzipped':>11}{'wasm':>11}{'shipped':>11}{'on the wire':>14}")
    rows = {gpu: sizes(gpu) for gpu in (False, True)}
    for gpu, row in rows.items():
        cells = "".join(megabytes(n) for n in row)
        print(f"{'webgpu' if gpu else 'cpu':<8}{cells}{megabytes(row[1] + row[3]):>14}")
    wire = sum(rows[True][i] - rows[False][i] for i in (1, 3))
    unpacked = rows[True][2] - rows[False][2]
    print(f"--gpu adds {wire / 1e6:.2f} MB on the wire, {unpacked / 1e6:.2f} MB of wasm unpacked")


if __name__ == "__main__":
    main()
