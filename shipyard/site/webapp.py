"""What makes a site installable as an app: its web app manifest and icons.

With the service worker (templates/sw.js) that opens it offline, browsers offer to install
the site; the icons are plain squares in the page's accent colour, made here (PNG needs
only zlib), so that no file comes from anywhere else.
"""

from __future__ import annotations

import json
import struct
import zlib

from shipyard_runtime.spec import AppSpec

ACCENT = (0x25, 0x63, 0xEB)  # style.css's --accent
ICON_SIZES = (192, 512)


def icon_path(size: int) -> str:
    return f"icon-{size}.png"


def web_manifest(app: AppSpec) -> bytes:
    manifest = {
        "name": app.name,
        "short_name": app.name[:12],
        "description": app.description or app.name,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#{:02x}{:02x}{:02x}".format(*ACCENT),
        "icons": [{"src": icon_path(s), "sizes": f"{s}x{s}", "type": "image/png"} for s in ICON_SIZES],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1).encode()


def icon(size: int) -> bytes:
    """A square PNG of `size` pixels in the accent colour."""
    row = b"\0" + bytes(ACCENT) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(row * size, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
