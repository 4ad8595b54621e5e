"""Liquid, as the lab site's Jekyll wrote it: `{{ "{{ json .Mounts "}}}}` is the command's
`{{ json .Mounts }}`; `{% raw %}...{% endraw %}` is its content."""

from __future__ import annotations

import re

_STRING_OUTPUT = re.compile(r"""\{\{\s*(?:"([^"]*)"|'([^']*)')\s*\}\}""")
_RAW_TAGS = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")


def render_liquid(text: str) -> str:
    """The text the reader saw: string outputs printed as they are, raw tags dropped."""
    text = _RAW_TAGS.sub("", text)
    return _STRING_OUTPUT.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
