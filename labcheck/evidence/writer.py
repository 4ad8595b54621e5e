"""Write the evidence file step by step, so a crash or Ctrl-C loses nothing already run."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from labcheck import __version__, i18n
from labcheck.errors import LabcheckError
from labcheck.evidence import chain, model
from labcheck.evidence.model import FORMAT, FORMAT_VERSION, OUTCOMES
from labcheck.evidence.selection import NotRun, selection_record
from labcheck.evidence.spec_copy import lab_header, spec_sections
from labcheck.i18n import Translator
from labcheck.os_error_words import errno_words
from labcheck.signing.files import remove_stale_envelope, sign_evidence_file
from labcheck.signing.keys import PrivateKey
from labcheck.spec.model import Lab


class EvidenceWriteFailed(LabcheckError):
    """The evidence could not be written (full disk, read-only folder); the last complete one is kept."""

    def __init__(self, message: str, *, errno: int | None, kept_steps: int | None) -> None:
        super().__init__(message)
        self.errno = errno
        self.kept_steps = kept_steps  # None: no evidence file could be written at all

    def summary(self, t: Translator | None = None) -> str:
        """What the run's summary says of it, in t's language (the command line's by default)."""
        t = t or i18n.cli()
        cause = errno_words(self.errno, t)
        if self.kept_steps is None:
            return t.format("could not be written ({cause}): no evidence is left", cause=cause)
        steps = t.counted(self.kept_steps, "step", "steps")
        return t.format(
            "could not be written whole ({cause}): the last complete one is kept, with {steps}",
            cause=cause,
            steps=steps,
        )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _from_start(path: Path) -> str:
    """The spec's path relative to where the run started: evidence names no folder of the machine."""
    return os.path.relpath(path) if path.is_absolute() else str(path)


def _location_from_start(location: str | None) -> str | None:
    """`/home/ana/curso/specs/lab/lab.yaml:96` as `specs/lab/lab.yaml:96`, as the spec's path is."""
    if location is None:
        return None
    file, colon, line = location.rpartition(":")
    if not colon or not line.isdigit():
        return _from_start(Path(location))
    return f"{_from_start(Path(file))}:{line}"


def _encoded(document: model.Evidence) -> bytes:
    # One space of indent, keys in the model's order, UTF-8 as written (no \u escapes).
    return msgspec.json.format(msgspec.json.encode(document), indent=1)


class EvidenceWriter:
    def __init__(
        self,
        path: Path,
        lab: Lab,
        *,
        student: Mapping[str, str | None],
        targets: Mapping[str, model.Target],
        sandbox: str,
        workspace: str | None,
        capabilities: Mapping[str, model.Capability],
        signing_key: PrivateKey | None = None,
    ) -> None:
        self.path = path
        self.lab = lab
        self.signing_key = signing_key
        remove_stale_envelope(path)
        engine_ids = [target.engine.id for target in targets.values()]
        self.genesis = chain.genesis(lab.id, lab.sha256, student.get("id"), engine_ids)
        self.last_link = self.genesis
        self.written_steps = 0
        self.steps: list[model.Step] = []
        self.document = model.Evidence(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            labcheck_version=__version__,
            lab=lab_header(lab),
            spec=model.SpecRef(path=_from_start(lab.path), sha256=lab.sha256, sections=spec_sections(lab)),
            student=model.Student(id=student.get("id"), name=student.get("name"), group=student.get("group")),
            run=model.Run(
                started_at=now_iso(),
                finished_at=None,
                status="running",
                host=socket.gethostname(),
                workspace=workspace,
                sandbox=sandbox,  # type: ignore[arg-type]  # kit-nodes or targets
                standins=False,
                capabilities=dict(capabilities),
            ),
            targets=dict(targets),
            steps=[],
            images=[],
            summary=self.summary(),
            chain=model.Chain(algorithm="sha256", genesis=self.genesis, head=self.genesis),
        )
        self._write()

    def add_step(self, record: model.Step) -> model.Step:
        """Link the step to the one before and write the evidence with it; the linked step."""
        record = msgspec.structs.replace(record, spec_location=_location_from_start(record.spec_location))
        body = model.to_document(record)
        body.pop("chain")
        linked = msgspec.structs.replace(record, chain=chain.link(self.last_link, body))
        self.last_link = linked.chain
        self.steps.append(linked)
        self._write()
        return linked

    def record_selection(self, selected: Iterable[str], not_run: Sequence[NotRun] = ()) -> None:
        """Which steps this run was asked to run, and why the others did not (bound by the head)."""
        run = msgspec.structs.replace(
            self.document.run, selection=selection_record(self.lab, selected, not_run)
        )
        self.document = msgspec.structs.replace(self.document, run=run)
        self._write()

    def finish(self, *, status: str, images: list[model.Image], total_steps: int) -> None:
        run = msgspec.structs.replace(
            self.document.run,
            standins=any(image.standin for image in images),
            status=status,
            finished_at=now_iso(),
        )
        self.document = msgspec.structs.replace(self.document, images=images, run=run)
        self._write(total_steps)
        if self.signing_key is not None:
            # Signed last, over the final bytes: an interrupted run's partial evidence is never signed
            # before its end, and a signed file cannot change afterwards without breaking the signature.
            try:
                sign_evidence_file(self.path, self.signing_key)
            except OSError as error:
                raise EvidenceWriteFailed(
                    i18n.cli().format(
                        "cannot write the signature beside {path} ({cause}): the evidence is complete "
                        "but unsigned",
                        path=self.path,
                        cause=errno_words(error.errno),
                    ),
                    errno=error.errno,
                    kept_steps=len(self.steps),
                ) from None

    def summary(self, total_steps: int | None = None) -> model.Summary:
        counts = {outcome: 0 for outcome in OUTCOMES}
        for step in self.steps:
            counts[step.outcome] += 1
        # The spec's steps, whatever ran so far: an evidence read mid-run never looks whole.
        total = total_steps if total_steps is not None else len(self.lab.steps)
        return model.Summary(total=total, **counts, not_run=max(0, total - len(self.steps)))

    def _write(self, total_steps: int | None = None) -> None:
        document = msgspec.structs.replace(self.document, steps=self.steps, summary=self.summary(total_steps))
        rest = model.to_document(document)
        rest.pop("steps")
        rest.pop("chain")
        head = chain.head(self.last_link, rest)
        self.document = msgspec.structs.replace(
            document, chain=model.Chain(algorithm="sha256", genesis=self.genesis, head=head)
        )
        text = _encoded(self.document)
        temporary = self.path.with_suffix(".json.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(text)
            os.replace(temporary, self.path)
        except OSError as error:
            # Never a truncated file: the evidence on disk stays the last one written whole.
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
            count = self.written_steps if self.path.exists() else None
            t = i18n.cli()
            cause = errno_words(error.errno, t)
            said = (
                t.format(
                    "cannot write the evidence {path} ({cause}): no evidence is left",
                    path=self.path,
                    cause=cause,
                )
                if count is None
                else t.format(
                    "cannot write the evidence {path} ({cause}): the last complete one is kept, with {steps}",
                    path=self.path,
                    cause=cause,
                    steps=t.counted(count, "step", "steps"),
                )
            )
            raise EvidenceWriteFailed(
                said,
                errno=error.errno,
                kept_steps=count,
            ) from None
        self.written_steps = len(self.steps)
