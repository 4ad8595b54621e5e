"""What the host kernel and engine can do for the lab, said in plain words."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from labcheck.i18n import N_


@dataclass(frozen=True)
class Capability:
    name: str
    available: bool
    reason: str  # English, as the JSON and the evidence keep it; a msgid the table translates


def _ipvs_loaded() -> bool:
    return Path("/proc/net/ip_vs").exists() or Path("/sys/module/ip_vs").exists()


def routing_mesh() -> Capability:
    if not sys.platform.startswith("linux"):
        return Capability(
            "routing_mesh",
            True,
            N_("not checked: the engine runs in a VM (Docker Desktop), whose kernel has IPVS"),
        )
    if not _ipvs_loaded() and os.geteuid() == 0 and shutil.which("modprobe"):
        subprocess.run(["modprobe", "ip_vs"], capture_output=True, check=False)
    if _ipvs_loaded():
        return Capability("routing_mesh", True, N_("the kernel has IPVS (ip_vs)"))
    return Capability(
        "routing_mesh",
        False,
        N_(
            "this kernel has no IPVS (ip_vs): Swarm service VIPs and published ingress ports "
            "carry no traffic, so opening a published service port shows nothing. Services, "
            "replicas, tasks per node, overlay networks and service-name DNS still work."
        ),
    )


def real_images(standins_in_use: bool) -> Capability:
    if standins_in_use:
        return Capability(
            "real_images",
            False,
            N_(
                "images come from the kit's local registry: labelled stand-ins "
                "(io.labcheck.standin=true), not Docker Hub's images"
            ),
        )
    return Capability("real_images", True, N_("the engine pulls from Docker Hub"))


def host_capabilities(standins_in_use: bool) -> dict[str, Capability]:
    found = (routing_mesh(), real_images(standins_in_use))
    return {cap.name: cap for cap in found}
