"""Images by their header: dimensions and frames read without decoding, and capped."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from casebook.content.allowlist import policy, walk
from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_declaring(width: int, height: int, filler: int = 0) -> bytes:
    """A valid PNG header declaring ``width`` x ``height`` with a tiny (truncated) image
    stream: what a 390 KB file claiming 20,000 x 20,000 pixels looks like."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1000) + b"\x00" * filler
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data)
            + _chunk(b"IEND", b""))


def _saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _patched_jpeg(width: int, height: int) -> bytes:
    raw = bytearray(_saved(Image.new("RGB", (8, 8)), "JPEG"))
    sof = raw.index(b"\xff\xc0")
    raw[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(raw)


def _patched_gif(width: int, height: int) -> bytes:
    raw = bytearray(_saved(Image.new("P", (8, 8)), "GIF"))
    raw[6:10] = struct.pack("<HH", width, height)
    return bytes(raw)


def _animation(fmt: str, frames: int, size: tuple[int, int] = (4, 4)) -> bytes:
    images = [Image.new("RGB", size, (i % 256, (i // 256) * 80, (i * 7) % 256))
              for i in range(frames)]
    options = {"lossless": True} if fmt == "WEBP" else {}  # keeps every frame
    return _saved(images[0], fmt, save_all=True, append_images=images[1:], duration=100,
                  **options)


def _verdict(tmp: Path, name: str, data: bytes) -> list[tuple[str, str, str]]:
    (tmp / "images").mkdir(exist_ok=True)
    (tmp / "images" / name).write_bytes(data)
    started = time.process_time()  # CPU time: a busy machine does not change it
    tree = walk(tmp)
    assert time.process_time() - started < 2  # read from the header, never decoded
    return tree.problems


@pytest.mark.parametrize("name, data", [
    ("huge.png", _png_declaring(20_000, 20_000, filler=390_000)),
    ("wide.png", _png_declaring(100_000, 1_000)),
    ("huge.jpeg", _patched_jpeg(30_000, 20_000)),
    ("huge.gif", _patched_gif(65_000, 65_000)),
], ids=["png-20000-square", "png-wide", "jpeg", "gif"])
def test_declared_dimensions_over_the_limit_are_refused(tmp_path: Path, name: str,
                                                        data: bytes) -> None:
    assert len(data) <= policy().asset_max_bytes
    problems = _verdict(tmp_path, name, data)
    assert [(p[0], p[1]) for p in problems] == [(f"images/{name}", "asset-size")]
    assert "megapixels" in problems[0][2]


@pytest.mark.parametrize("fmt, name", [("GIF", "anim.gif"), ("WEBP", "anim.webp")])
def test_animation_frames_are_counted(tmp_path: Path, fmt: str, name: str) -> None:
    problems = _verdict(tmp_path, name, _animation(fmt, policy().max_frames + 20))
    assert [(p[0], p[1]) for p in problems] == [(f"images/{name}", "asset-size")]
    assert "frames" in problems[0][2]


@pytest.mark.parametrize("fmt, name", [("GIF", "ok.gif"), ("WEBP", "ok.webp")])
def test_short_animations_pass(tmp_path: Path, fmt: str, name: str) -> None:
    assert _verdict(tmp_path, name, _animation(fmt, 30, (64, 64))) == []


@pytest.mark.parametrize("name, fmt, size", [
    ("photo.jpeg", "JPEG", (6000, 4000)),     # a 24 MP camera photo
    ("phone.jpg", "JPEG", (8000, 6000)),      # a 48 MP phone photo, at the line
    ("scan.png", "PNG", (5000, 7000)),
    ("picture.webp", "WEBP", (4000, 3000)),
    ("picture.avif", "AVIF", (1920, 1080)),
])
def test_large_real_photos_are_accepted(tmp_path: Path, name: str, fmt: str,
                                        size: tuple[int, int]) -> None:
    data = _saved(Image.new("RGB", size, (120, 160, 200)), fmt)
    assert len(data) <= policy().asset_max_bytes
    assert _verdict(tmp_path, name, data) == []


def test_a_header_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature, then nothing readable
    problems = _verdict(tmp_path, "broken.png", data)
    assert [(p[0], p[1]) for p in problems] == [("images/broken.png", "asset-type")]
