"""Untrusted Markdown (specs, students) to HTML that carries no script and fetches nothing."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


def _is_remote(src: str) -> bool:
    lowered = src.strip().lower()
    return lowered.startswith(("http:", "https:", "//", "ftp:")) or ":" in lowered.split("/")[0]


def _image_as_link(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env) or "imagen"
    # A remote picture would be fetched by whoever opens the report: show where it is instead.
    if _is_remote(src) and not src.startswith("data:image/"):
        return f'<span class="remote-image">[{escape(alt)}: <a href="{escape(src)}">{escape(src)}</a>]</span>'
    return f'<span class="missing-image">[{escape(alt)}]</span>'


def new_parser() -> MarkdownIt:
    """`js-default`: raw HTML off, dangerous link schemes refused, no typographer."""
    parser = MarkdownIt("js-default", {"typographer": False, "html": False})
    parser.add_render_rule("image", _image_as_link)
    return parser


_PARSER = new_parser()


def render_markdown(text: str | None, *, env: dict[str, object] | None = None) -> str:
    if not text:
        return ""
    return str(_PARSER.render(text, env if env is not None else {}))


def render_explanation(text: str | None) -> str:
    """Markdown as HTML blocks, but a text of one paragraph as that paragraph's inline HTML, for a
    block of the caller's to hold: one box fewer per step for the PDF to lay out (1.8% of the
    bundled lab's)."""
    if not text:
        return ""
    env: dict[str, object] = {}
    tokens = _PARSER.parse(text, env)
    if [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        tokens = tokens[1:2]
    return str(_PARSER.renderer.render(tokens, _PARSER.options, env))


def render_inline(text: str | None) -> str:
    if not text:
        return ""
    return str(_PARSER.renderInline(text))
