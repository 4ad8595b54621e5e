"""The student's own pictures in `report --from`: read only from the Markdown file's folder,
checked to be the image they claim, and embedded (data: URLs) so nothing else is fetched later.

A picture is read through `labcheck.confined` (a regular file inside the folder, no symlink
out, never a FIFO or a device, within a size limit), then opened by Pillow: its format must be
the one its name says (an SVG or an HTML page saved as `.png` is refused, as it could pull
other files in), it must pass Pillow's verify, and its pixel count is bounded (a tiny file can
claim a 100,000 x 100,000 picture).
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from PIL import Image

from labcheck import i18n
from labcheck.confined import FileMissing, FileRefused, Limits, read_within
from labcheck.i18n import N_

MAX_PICTURE_BYTES = 10 * 1024 * 1024
MAX_PICTURES_BYTES = 64 * 1024 * 1024  # all of one report's pictures together
MAX_PIXELS = 40_000_000
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
_LIMITS = Limits(MAX_PICTURE_BYTES, refuse_hard_links=True)
WHERE = N_("the Markdown file's folder")


@dataclass(frozen=True)
class Refusal:
    line: int
    src: str
    reason: str


def is_picture(src: str) -> bool:
    return PurePosixPath(unquote(src).split("?")[0]).suffix.lower() in FORMATS


def load_picture(folder: Path, src: str) -> str | None:
    """The picture as a data: URL; None when there is no such file (the report names it instead);
    FileRefused when it is there but cannot be used (its own reasons worded in the command line's
    language: a refused picture stops `report --from`, which says why)."""
    relative = unquote(src)
    try:
        data = read_within(folder, relative, _LIMITS, where=WHERE, display=relative)
    except FileMissing:
        return None
    claimed = FORMATS[PurePosixPath(relative).suffix.lower()]
    found, damage = _image_format(data, relative)
    t = i18n.cli()
    if found != claimed:
        unknown = t.gettext("not an image Pillow can read")
        what = t.format("a {format} file", format=found) if found else unknown
        said = t.format(
            "is named as a {claimed} picture but is {what}: not embedded", claimed=claimed, what=what
        )
        raise FileRefused(relative, said)
    if damage is not None:
        said = t.format(
            "is a damaged {claimed} image ({damage}): not embedded", claimed=claimed, damage=damage
        )
        raise FileRefused(relative, said)
    return f"data:{_MIME[claimed]};base64,{base64.b64encode(data).decode('ascii')}"


def _image_format(data: bytes, shown: str) -> tuple[str | None, str | None]:
    """The format Pillow finds, and what Pillow's verify says is wrong with it (None: nothing)."""
    t = i18n.cli()
    if data.lstrip()[:1] == b"<":
        return t.gettext("SVG or HTML (text)"), None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        said = t.format("claims more than {pixels} pixels: not embedded", pixels=t.number(MAX_PIXELS))
        raise FileRefused(shown, said) from None
    except Exception:  # Pillow raises many kinds (SyntaxError, OSError, ValueError...) on bad data
        return None, None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            said = t.format(
                "is {width} x {height} pixels, more than {pixels}: not embedded",
                width=width,
                height=height,
                pixels=t.number(MAX_PIXELS),
            )
            raise FileRefused(shown, said)
        try:
            image.verify()
        except Exception as error:  # as above: whatever Pillow finds wrong, said in its words
            return image.format, str(error) or type(error).__name__
        return image.format, None


def check_budget(total: int, src: str) -> None:
    if total > MAX_PICTURES_BYTES:
        t = i18n.cli()
        said = t.format(
            "brings the report's pictures over {limit} MB together: not embedded",
            limit=t.megabytes(MAX_PICTURES_BYTES),
        )
        raise FileRefused(src, said)
