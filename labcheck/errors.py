"""One flat hierarchy of errors, each carrying what the user needs to act on it."""

from __future__ import annotations


class LabcheckError(Exception):
    """Base of every error labcheck reports to a user instead of a traceback."""


class EngineUnreachable(LabcheckError):
    """No Docker engine answers at the address labcheck was given."""


class LabNotFound(LabcheckError):
    """A lab named on the command line is neither a spec on disk nor a bundled lab's id."""


class KitError(LabcheckError):
    """The offline classroom kit could not be brought up, down or inspected."""


class SpecError(LabcheckError):
    """A lab spec is invalid: names the file, the line and the offending key."""

    def __init__(self, path: str, line: int | None, key: str, message: str) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {key}: {message}")


class EvidenceError(LabcheckError):
    """An evidence file is unreadable or does not follow the evidence format."""


class SpecInvalid(LabcheckError):
    """Every problem found in one spec file, in file order."""

    def __init__(self, problems: list[SpecError]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
