"""A lab's Markdown as a flat list of blocks (front matter, headings, prose, fenced code), read
with markdown-it-py, each with the line it starts on in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


@dataclass(frozen=True)
class Block:
    kind: str  # heading, paragraph, item (a list item's paragraph), fence
    line: int  # 1-based, in the Markdown file
    text: str  # a heading's or paragraph's text; a fence's content
    level: int = 0  # a heading's level
    info: str = ""  # a fence's info string (`.term1`, `bash`, ``)
    code: tuple[str, ...] = ()  # the inline code spans of a paragraph


@dataclass(frozen=True)
class LabMarkdown:
    front_matter: dict[str, object] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()


def _front_matter(text: str) -> tuple[dict[str, object], str, int]:
    """(its keys, the body, how many lines it took); a front matter that is not a mapping is ignored."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text, 0
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        data = None
    offset = match.group(0).count("\n")
    return (data if isinstance(data, dict) else {}), text[match.end() :], offset


def _inline(token: Token) -> tuple[str, tuple[str, ...]]:
    children = token.children or []
    codes = tuple(child.content for child in children if child.type == "code_inline")
    return token.content, codes


def read_markdown(text: str) -> LabMarkdown:
    front, body, offset = _front_matter(text.replace("\r\n", "\n"))
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[Block] = []
    list_depth = 0
    for index, token in enumerate(tokens):
        line = (token.map[0] if token.map else 0) + offset + 1
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "heading_open":
            content, _ = _inline(tokens[index + 1])
            blocks.append(Block("heading", line, content.strip(), level=int(token.tag[1:])))
        elif token.type == "paragraph_open":
            content, codes = _inline(tokens[index + 1])
            kind = "item" if list_depth else "paragraph"
            blocks.append(Block(kind, line, content, code=codes))
        elif token.type in ("fence", "code_block"):
            blocks.append(Block("fence", line, token.content, info=token.info.strip()))
    return LabMarkdown(front, tuple(blocks))
