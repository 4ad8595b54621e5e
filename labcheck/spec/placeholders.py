"""`${{ name }}` placeholders: values captured by earlier steps, put into later commands.

The form cannot collide with the shell (`$(...)`, `${VAR}`) nor with Go templates
(`{{ json .RootFS.Layers }}`), both of which lab commands use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\$\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


class MissingValue(KeyError):
    pass


def substitute(text: str, values: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise MissingValue(name)
        return values[name]

    return PLACEHOLDER.sub(replace, text)


def substitute_known(text: str, values: Mapping[str, str]) -> str:
    """Fill the placeholders that have a value and leave the others as written (for display)."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
