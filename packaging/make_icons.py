"""Render vaultapp's SVG app icon into the raster formats installers want.

    python packaging/make_icons.py [OUT_DIR]        (default: build/icons)

Writes, from vaultapp/resources/app.svg:
  vaultapp-<N>.png  for N in 16 … 1024   (Linux hicolor sizes, and the sources below)
  vaultapp.ico      Windows: one PNG-compressed image per size, 16 … 256
  vaultapp.icns     macOS: PNG-compressed icp4 … ic10 entries, 16 … 1024

Nothing binary is committed: packaging/vaultapp.spec runs this at build time, and the
SVG stays the single source. Rendering uses PySide6's QSvgRenderer (already a dependency);
the .ico and .icns containers are written here by hand because both are a short header
and a table of PNGs, so no Pillow and no Qt image-format plugin is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "vaultapp" / "resources" / "app.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# (OSType, pixel size) of the PNG-capable icns entries; the @2x types reuse larger images.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes of `svg` rendered square at each size, transparent background."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stub says bytes
            raise SystemExit(f"make_icons: could not encode a {size}px PNG")
        buffer.close()
        out[size] = bytes(data.data())
    return out


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding each PNG as one image (Windows Vista and later read PNG entries)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .icns of PNG entries (macOS 10.7 and later)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs = render_pngs(SOURCE, PNG_SIZES)
    written: dict[str, Path] = {}
    for size, blob in pngs.items():
        path = out_dir / f"vaultapp-{size}.png"
        path.write_bytes(blob)
        written[f"png{size}"] = path
    written["ico"] = out_dir / "vaultapp.ico"
    written["ico"].write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    written["icns"] = out_dir / "vaultapp.icns"
    written["icns"].write_bytes(icns_bytes(pngs))
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else ROOT / "build" / "icons"
    written = make_icons(out_dir)
    print(f"make_icons: wrote {len(written)} files to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
