"""The labcheck command lines of the CI templates, taken from their YAML as a CI system would run them.

GitHub Actions: each step's `run:` script, with `${{ ... }}` expressions replaced by the values the
test gives (as GitHub does before the shell sees the script); env from the workflow, job and step.
GitLab CI: `before_script:`, `script:` and `after_script:` lines; variables from `variables:`,
expanded once with the predefined ones (as GitLab does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / "examples" / "github-actions"
GITLAB = ROOT / "examples" / "gitlab-ci" / ".gitlab-ci.yml"

# A line that runs labcheck (directly, through sudo, or after `test ... &&`), not one installing it.
_RUNS_LABCHECK = re.compile(
    r'(^|&&\s*|\s)(labcheck|"\$\(command -v labcheck\)")\s+(run|validate|verify|kit|labs)\b'
)
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass(frozen=True)
class CommandLine:
    text: str  # as written in the template (continuations joined)
    env: dict[str, str]

    @property
    def subcommand(self) -> str:
        found = _RUNS_LABCHECK.search(self.text)
        assert found is not None
        return found.group(3)


def _script_lines(script: str) -> list[str]:
    return [line.strip() for line in script.replace("\\\n", " ").splitlines() if line.strip()]


def _expressions(text: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if "||" in expression:  # `a || b`: the first one that is set
            return next(
                (values[part.strip()] for part in expression.split("||") if values.get(part.strip())), ""
            )
        return values.get(expression, "")

    return _EXPRESSION.sub(value, text)


def github_lines(workflow: Path, expressions: Mapping[str, str]) -> list[CommandLine]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    workflow_env = {k: _expressions(str(v), expressions) for k, v in (data.get("env") or {}).items()}
    found = []
    for job in data["jobs"].values():
        job_env = {
            **workflow_env,
            **{k: _expressions(str(v), expressions) for k, v in (job.get("env") or {}).items()},
        }
        for step in job["steps"]:
            env = {
                **job_env,
                **{k: _expressions(str(v), expressions) for k, v in (step.get("env") or {}).items()},
            }
            for line in _script_lines(_expressions(step.get("run", ""), expressions)):
                if _RUNS_LABCHECK.search(line) and not line.startswith("#"):
                    found.append(CommandLine(line, env))
    return found


def gitlab_lines(pipeline: Path, predefined: Mapping[str, str]) -> list[CommandLine]:
    data = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    variables = {
        k: Template(str(v)).safe_substitute(predefined) for k, v in (data.get("variables") or {}).items()
    }
    found = []
    for job in data.values():
        if not isinstance(job, dict) or "script" not in job:
            continue
        env = {
            **variables,
            **{
                k: Template(str(v)).safe_substitute(predefined)
                for k, v in (job.get("variables") or {}).items()
            },
        }
        for key in ("before_script", "script", "after_script"):
            for line in job.get(key) or []:
                if _RUNS_LABCHECK.search(str(line)):
                    found.append(CommandLine(str(line), env))
    return found
