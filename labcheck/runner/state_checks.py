"""Facts about an engine, asked through the docker SDK: the state behind a transcript.

Each kind's probe is its module's (`labcheck.checks.kinds`, found through the registry)."""

from __future__ import annotations

from collections.abc import Mapping

import docker
import docker.errors

from labcheck.checks.kinds import Baseline
from labcheck.checks.record import FAILED, PASSED, CheckRecord
from labcheck.checks.registry import state_kinds
from labcheck.evidence import reasons

__all__ = ["Baseline", "judge_state"]


def judge_state(
    kind: str, client: docker.DockerClient, params: Mapping[str, object], baseline: Baseline, *, node: str
) -> CheckRecord:
    try:
        found = state_kinds()[kind].probe(client, params, baseline)
    except docker.errors.APIError as error:
        return CheckRecord(
            code=f"state.{kind}",
            expected=dict(params),
            observed=None,
            verdict=FAILED,
            reason=reasons.engine_error(node, str(error.explanation or error), timeout=False),
            rule={kind: dict(params)},
        )
    return CheckRecord(
        code=f"state.{kind}",
        expected=found.expected,
        observed=found.observed,
        verdict=PASSED if found.ok else FAILED,
        rule={kind: dict(params)},
    )
