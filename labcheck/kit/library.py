"""The kit's library of shared stand-ins: base images any lab pack may name with `library:`.

Each is built from Debian packages by the kit itself (no Dockerfile of a pack can make them):
`alpine` is a BusyBox root filesystem with an `apk` that installs Debian's packages, `ubuntu`
is a minbase Debian bookworm, `hello-world` is scratch plus a tiny static program. A pack's own
build context starts FROM one of the first two, passed as the build arguments ALPINE and UBUNTU.
"""

from __future__ import annotations

LIBRARY_STANDINS: tuple[str, ...] = ("alpine", "ubuntu", "hello-world")

# The build arguments a pack's Dockerfile uses to start from a library stand-in.
BASE_BUILD_ARGS: dict[str, str] = {"ALPINE": "alpine", "UBUNTU": "ubuntu"}
