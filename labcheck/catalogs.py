"""labcheck's gettext catalogs: read a .po, write its .mo, find every message the sources ask for.

Standard library only (no Babel, no GNU gettext tools at build or run time): the .po subset labcheck
writes (msgid, msgid_plural, msgstr, msgstr[N], flags, comments) is small, and a .mo is a sorted
table of strings. The compiled `labcheck/locale/<lang>/LC_MESSAGES/labcheck.mo` are committed and
shipped as package data, so a checkout and an installed wheel read the same files; a test compiles
every .po again and compares, and checks that each catalog has every message, none fuzzy.

    python -m labcheck.catalogs          # add new messages to the catalogs, drop gone ones, compile
"""

from __future__ import annotations

import ast
import struct
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "labcheck"
LANGUAGES = ("en", "es")
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"  # English and Spanish: one, and everything else
# Calls whose literal string arguments are messages: (argument positions, is it a plural pair).
_SINGLE_CALLS = {"N_": (0,), "gettext": (0,), "format": (0,)}
_PLURAL_CALLS = {"ngettext": (0, 1), "counted": (1, 2), "noun": (1, 2), "N_plural": (0, 1)}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None


@dataclass(frozen=True)
class Entry:
    message: Message
    translations: tuple[str, ...]
    fuzzy: bool = False
    comments: tuple[str, ...] = field(default=())


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


# ---------------------------------------------------------------- extraction


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def messages_in(source: str) -> Iterator[Message]:
    """Messages one Python file asks for: `t.gettext("..")`, `t.ngettext(s, p, n)`,
    `t.counted(n, s, p)`, `t.noun(n, s, p)`, `t.format("..", ...)`, and `N_("..")`, `N_plural(s, p)`
    for tables filled before a language is known."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("N_", "_"):
            name = "N_"
        elif isinstance(func, ast.Name) and func.id == "N_plural":
            name = "N_plural"
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in (*_SINGLE_CALLS, *_PLURAL_CALLS)
            and not isinstance(func.value, ast.Constant)  # "{}".format(...) is no message
        ):
            name = func.attr
        else:
            continue
        if name in _SINGLE_CALLS and node.args:
            text = _literal(node.args[0])
            if text is not None:
                yield Message(text)
        elif name in _PLURAL_CALLS:
            first, second = _PLURAL_CALLS[name]
            if len(node.args) > second:
                singular, plural = _literal(node.args[first]), _literal(node.args[second])
                if singular is not None and plural is not None:
                    yield Message(singular, plural)


def source_messages(root: Path = PACKAGE) -> list[Message]:
    found: dict[str, Message] = {}
    for path in sorted(root.rglob("*.py")):
        if "bundled_specs" in path.parts:
            continue
        for message in messages_in(path.read_text(encoding="utf-8")):
            known = found.setdefault(message.msgid, message)
            if known.plural != message.plural:
                # gettext keys a plural entry apart, but one catalog entry per msgid keeps .po tools sane.
                raise ValueError(f"{path.name}: {message.msgid!r} is used both with and without a plural")
    return sorted(found.values(), key=lambda m: m.msgid)


# ---------------------------------------------------------------- .po


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text}")
    out, escaping = [], False
    for char in text[1:-1]:
        if escaping:
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(char, "\\" + char))
            escaping = False
        elif char == "\\":
            escaping = True
        else:
            out.append(char)
    return "".join(out)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [f'"{line}\\n"' for line in lines[:-1]] + ([f'"{lines[-1]}"'] if lines[-1] else [])
    return '""\n' + "\n".join(parts)


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    comments: list[str] = []
    current: str | None = None

    def flush() -> None:
        nonlocal fields, flags, comments, current
        if "msgid" in fields:
            plural = fields.get("msgid_plural")
            if plural is None:
                translations: tuple[str, ...] = (fields.get("msgstr", ""),)
            else:
                count = 1 + max((int(k[7:-1]) for k in fields if k.startswith("msgstr[")), default=0)
                translations = tuple(fields.get(f"msgstr[{i}]", "") for i in range(count))
            entries.append(
                Entry(Message(fields["msgid"], plural), translations, "fuzzy" in flags, tuple(comments))
            )
        fields, flags, comments, current = {}, set(), [], None

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        try:
            if not stripped:
                flush()
            elif stripped.startswith("#,"):
                if "msgid" in fields:
                    flush()
                flags.update(flag.strip() for flag in stripped[2:].split(","))
            elif stripped.startswith("#"):
                if "msgid" in fields:
                    flush()
                comments.append(stripped)
            elif stripped.startswith('"'):
                if current is None:
                    raise ValueError("a string continues no keyword")
                fields[current] += _unquote(stripped)
            else:
                keyword, _, rest = stripped.partition(" ")
                if keyword == "msgid" and "msgid" in fields:
                    flush()
                current = keyword
                fields[keyword] = _unquote(rest)
        except ValueError as error:
            raise ValueError(f"line {number}: {error}") from None
    flush()
    return entries


def header(language: str) -> str:
    return (
        "Project-Id-Version: labcheck\n"
        f"Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {PLURAL_FORMS}\n"
    )


def format_po(language: str, entries: Iterable[Entry]) -> str:
    out = [f"# labcheck's messages in {language}.", 'msgid ""', "msgstr " + _quote(header(language)), ""]
    for entry in entries:
        if not entry.message.msgid:
            continue
        out.extend(entry.comments)
        if entry.fuzzy:
            out.append("#, fuzzy")
        out.append("msgid " + _quote(entry.message.msgid))
        if entry.message.plural is None:
            out.append("msgstr " + _quote(entry.translations[0] if entry.translations else ""))
        else:
            out.append("msgid_plural " + _quote(entry.message.plural))
            forms = entry.translations if len(entry.translations) == 2 else ("", "")
            out.extend(f"msgstr[{index}] " + _quote(form) for index, form in enumerate(forms))
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- .mo


def mo_bytes(language: str, entries: Iterable[Entry]) -> bytes:
    """GNU .mo (little-endian, no hash table): what gettext.GNUTranslations reads. Fuzzy and empty
    translations are left out, as msgfmt leaves them out."""
    table: dict[bytes, bytes] = {b"": header(language).encode()}
    for entry in entries:
        if entry.fuzzy or not entry.message.msgid or not all(entry.translations):
            continue
        key = entry.message.msgid
        if entry.message.plural is not None:
            key += "\0" + entry.message.plural
        table[key.encode()] = "\0".join(entry.translations).encode()
    keys = sorted(table)
    ids = b"".join(name + b"\0" for name in keys)
    strs = b"".join(table[name] + b"\0" for name in keys)
    count = len(keys)
    start = 7 * 4 + count * 16  # header, then the two tables of (length, offset)
    id_offsets: list[int] = []
    str_offsets: list[int] = []
    at = start
    for name in keys:
        id_offsets += [len(name), at]
        at += len(name) + 1
    for name in keys:
        str_offsets += [len(table[name]), at]
        at += len(table[name]) + 1
    head = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return head + struct.pack(f"<{4 * count}I", *id_offsets, *str_offsets) + ids + strs


# ---------------------------------------------------------------- update and check


def read_catalog(language: str) -> list[Entry]:
    path = po_path(language)
    return parse_po(path.read_text(encoding="utf-8")) if path.exists() else []


def problems(language: str, messages: Iterable[Message]) -> list[str]:
    """What keeps a catalog from being complete: a message missing, untranslated, fuzzy, a wrong plural."""
    known: Mapping[str, Entry] = {e.message.msgid: e for e in read_catalog(language) if e.message.msgid}
    found = []
    for message in messages:
        entry = known.get(message.msgid)
        if entry is None:
            found.append(f"{language}: missing {message.msgid!r}")
        elif entry.fuzzy:
            found.append(f"{language}: fuzzy {message.msgid!r}")
        elif entry.message.plural != message.plural:
            found.append(f"{language}: plural of {message.msgid!r} is {entry.message.plural!r}")
        elif not all(entry.translations) or len(entry.translations) != (1 if message.plural is None else 2):
            found.append(f"{language}: untranslated {message.msgid!r}")
    return found


def update(language: str, messages: list[Message]) -> list[Entry]:
    """The catalog with every source message: kept translations, English as itself, Spanish to do."""
    known = {e.message.msgid: e for e in read_catalog(language)}
    entries = []
    for message in messages:
        old = known.get(message.msgid)
        if old is not None and old.message.plural == message.plural:
            entries.append(old)
        elif language == "en":
            forms = (message.msgid,) if message.plural is None else (message.msgid, message.plural)
            entries.append(Entry(message, forms))
        else:
            entries.append(Entry(message, ("",) if message.plural is None else ("", ""), fuzzy=True))
    return entries


def main() -> int:
    messages = source_messages()
    for language in LANGUAGES:
        entries = update(language, messages)
        po_path(language).parent.mkdir(parents=True, exist_ok=True)
        po_path(language).write_text(format_po(language, entries), encoding="utf-8")
        mo_path(language).write_bytes(mo_bytes(language, entries))
        for problem in problems(language, messages):
            print(problem, file=sys.stderr)
    print(f"{len(messages)} messages in {', '.join(LANGUAGES)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
