"""`labcheck keygen`: the course's key pair, the private half readable by its owner only."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from labcheck import i18n
from labcheck.os_error_words import os_error_words
from labcheck.signing.keys import PrivateKey, SigningKeyError

PRIVATE_NAME = "course.key"
PUBLIC_NAME = "course.pub"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = i18n.cli()
    parser = subparsers.add_parser(
        "keygen",
        help=t.gettext("make the course's Ed25519 key pair for signing evidence"),
        description=t.format(
            "Write {private} (the private key, PKCS#8 PEM, mode 0600: a CI secret the students "
            "cannot read) and {public} (the public key, PEM: give it to whoever verifies). "
            "The key id printed is the public key's fingerprint, sha256 of its DER form.",
            private=PRIVATE_NAME,
            public=PUBLIC_NAME,
        ),
    )
    parser.add_argument(
        "-o", "--out", type=Path, default=Path("."), metavar="DIR", help=t.gettext("folder (default: .)")
    )
    parser.add_argument("--force", action="store_true", help=t.gettext("replace a key pair already there"))
    parser.set_defaults(handler=run)


def _write(path: Path, data: bytes, mode: int, force: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        descriptor = os.open(path, flags, mode)
    except FileExistsError:
        raise SigningKeyError(_already_there(path)) from None
    except OSError as error:
        said = i18n.cli().format("{path}: cannot write it: {cause}", path=path, cause=os_error_words(error))
        raise SigningKeyError(said) from None
    with os.fdopen(descriptor, "wb") as stream:
        os.fchmod(stream.fileno(), mode)  # also when --force replaced a file with wider permissions
        stream.write(data)


def _already_there(path: Path) -> str:
    return i18n.cli().format("{path}: already exists (a key pair in use? --force replaces it)", path=path)


def run(args: argparse.Namespace) -> int:
    t = i18n.cli()
    folder: Path = args.out
    if not folder.is_dir():
        raise SigningKeyError(t.format("{path}: no such folder", path=folder))
    private, public = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    if not args.force:
        for path in (private, public):
            if path.exists():
                raise SigningKeyError(_already_there(path))
    key = PrivateKey.generate()
    _write(private, key.pem(), 0o600, args.force)
    _write(public, key.public.pem(), 0o644, args.force)
    labels = [t.gettext("private key:"), t.gettext("public key:"), t.gettext("key id:")]
    width = max(len(label) for label in labels) + 1  # the values in one column, in either language
    secret = t.gettext("(keep it secret: a CI secret only the course can read)")
    print(f"{labels[0]:<{width}}{private} {secret}")
    print(f"{labels[1]:<{width}}{public}")
    print(f"{labels[2]:<{width}}{key.public.key_id}")
    return 0
