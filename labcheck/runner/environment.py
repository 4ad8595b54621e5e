"""The environment a step runs with: labcheck's own, minus every secret.

A step runs commands the student controls (their index.js, their Dockerfile), and its output
becomes evidence and a report the student receives: a secret in its environment is a secret
handed to the student. Removed, by name:

- labcheck's signing key (`LABCHECK_SIGNING_KEY`) and its id, and `LABCHECK_SECRET_ENV` itself;
- every variable named in `LABCHECK_SECRET_ENV` (a comma-separated list of names);
- CI's usual credentials: GitHub Actions (`GITHUB_TOKEN`, `GH_TOKEN`, the runtime and OIDC
  request tokens and their URLs, which with the token mint cloud credentials), GitLab
  (`CI_JOB_TOKEN`, `CI_JOB_JWT*`, the registry, deploy and dependency-proxy passwords,
  `GITLAB_TOKEN`), Forgejo/Gitea, Azure Pipelines (`SYSTEM_ACCESSTOKEN`), Drone and
  Woodpecker's netrc passwords, Docker registry auth (`DOCKER_AUTH_CONFIG`), the cloud
  providers' usual keys;
- git configuration passed by environment (`GIT_CONFIG_*`, `GIT_ASKPASS`), which can carry an
  `http.extraheader` with a token, and `SSH_AUTH_SOCK`, which lends the runner's SSH keys
  (kept only for an engine the user names at an ssh:// address, which needs it);
- any name that says what it is: containing TOKEN, SECRET, PASSWORD, PASSWD, PASSPHRASE or CREDENTIAL,
  or ending in _KEY or _PAT. A Docker lab's commands need none of these.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from labcheck.signing.keys import SIGNING_KEY_ENV

SECRET_LIST_ENV = "LABCHECK_SECRET_ENV"

KNOWN_SECRETS = frozenset(
    {
        SIGNING_KEY_ENV,
        "LABCHECK_SIGNING_KEY_ID",
        SECRET_LIST_ENV,
        # GitHub Actions
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GH_ENTERPRISE_TOKEN",
        "ACTIONS_RUNTIME_TOKEN",
        "ACTIONS_RUNTIME_URL",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "ACTIONS_CACHE_URL",
        "ACTIONS_RESULTS_URL",
        # GitLab CI
        "CI_JOB_TOKEN",
        "CI_JOB_JWT",
        "CI_JOB_JWT_V1",
        "CI_JOB_JWT_V2",
        "CI_REGISTRY_PASSWORD",
        "CI_DEPLOY_PASSWORD",
        "CI_DEPENDENCY_PROXY_PASSWORD",
        "GITLAB_TOKEN",
        # Forgejo / Gitea, Azure Pipelines, Drone, Woodpecker, Bitbucket, CircleCI
        "GITEA_TOKEN",
        "FORGEJO_TOKEN",
        "SYSTEM_ACCESSTOKEN",
        "DRONE_NETRC_PASSWORD",
        "CI_NETRC_PASSWORD",
        "BITBUCKET_STEP_OIDC_TOKEN",
        "CIRCLE_OIDC_TOKEN",
        "CIRCLE_OIDC_TOKEN_V2",
        # Registries and clouds
        "DOCKER_AUTH_CONFIG",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AZURE_CLIENT_SECRET",
        "GOOGLE_APPLICATION_CREDENTIALS",
        # Credentials lent by environment
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "SSH_AUTH_SOCK",
        "GIT_CONFIG_PARAMETERS",
    }
)
_SECRET_NAME = re.compile(
    r"TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|_KEY$|_PAT$|^GIT_CONFIG_", re.IGNORECASE
)


def secret_names(environment: Mapping[str, str]) -> frozenset[str]:
    """The names of every variable of this environment that must not reach a step."""
    marked = {name.strip() for name in environment.get(SECRET_LIST_ENV, "").split(",") if name.strip()}
    return frozenset(
        name for name in environment if name in KNOWN_SECRETS or name in marked or _SECRET_NAME.search(name)
    )


def scrubbed_environment(
    environment: Mapping[str, str] | None = None, *, docker_host: str | None = None
) -> dict[str, str]:
    """A copy of the environment (labcheck's own by default) without any secret. An engine
    reached over ssh:// keeps the SSH agent: the docker CLI cannot reach it otherwise."""
    source = os.environ if environment is None else environment
    secrets = secret_names(source)
    if docker_host is not None and docker_host.startswith("ssh://"):
        secrets -= {"SSH_AUTH_SOCK"}
    return {name: value for name, value in source.items() if name not in secrets}
