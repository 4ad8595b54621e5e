"""`labcheck validate` on hostile and broken specs: every one refused as `file:line: what`,
exit 2, no traceback, in one child process held to 2 GB and 20 s of CPU for all of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from labcheck.spec.loader import load_lab
from tests.hostile import spec_inputs
from tests.hostile.spec_inputs import EXPECTED, Refusal

PATH_CASES: dict[str, tuple[Callable[[Path], Path], Refusal]] = {
    "link_to_dev_zero": (
        spec_inputs.link_to_dev_zero,
        Refusal(None, ("is a character device (a link to /dev/zero), not a regular file",)),
    ),
    "fifo": (spec_inputs.fifo, Refusal(None, ("is a FIFO (named pipe), not a regular file",))),
}


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, list[str]], str]:
    """One validate over every case: its exit code, its stderr lines by case, all of stderr."""
    root = tmp_path_factory.mktemp("hostile-specs")
    folders: dict[str, Path] = {}
    for name, (make, _) in EXPECTED.items():
        folder = root / name
        folder.mkdir()
        (folder / "lab.yaml").write_text(make(), encoding="utf-8")
        folders[name] = folder
    for name, (make_path, _) in PATH_CASES.items():
        folder = root / name
        folder.mkdir()
        folders[name] = make_path(folder)
    result = spec_inputs.run_limited("validate", *(str(folder) for folder in folders.values()))
    by_case: dict[str, list[str]] = {name: [] for name in folders}
    for line in result.stderr.splitlines():
        for name, folder in folders.items():
            if line.startswith(f"{folder / 'lab.yaml'}:"):
                by_case[name].append(line)
    return result.returncode, by_case, result.stderr


def test_validate_refuses_them_all_within_the_limits(
    validated: tuple[int, dict[str, list[str]], str],
) -> None:
    returncode, by_case, stderr = validated
    # Killed for memory or CPU would be a negative code or a MemoryError traceback.
    assert returncode == 2, stderr[-3000:]
    assert "Traceback" not in stderr and "Error:" not in stderr
    assert all(by_case.values()), [name for name, lines in by_case.items() if not lines]


@pytest.mark.parametrize("name", [*EXPECTED, *PATH_CASES])
def test_each_refusal_names_the_file_the_line_and_what_is_wrong(
    name: str, validated: tuple[int, dict[str, list[str]], str]
) -> None:
    _, by_case, _ = validated
    refusal = EXPECTED[name][1] if name in EXPECTED else PATH_CASES[name][1]
    lines = by_case[name]
    assert len(lines) == 1, lines  # the one problem, said once
    _, _, rest = lines[0].partition(".yaml:")
    if refusal.line is None:
        assert rest.startswith(" (file): "), lines[0]
    else:
        assert rest.startswith(f"{refusal.line}: "), lines[0]
    for words in refusal.words:
        assert words in rest, lines[0]


def test_more_steps_than_two_letters_number_load(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(spec_inputs.many_steps(703 + 26 * 26), encoding="utf-8")
    numbers = [step.number for step in load_lab(spec).steps]
    assert len(set(numbers)) == len(numbers) == 1379
    assert numbers[:2] == ["1.a", "1.b"] and numbers[25:28] == ["1.z", "1.aa", "1.ab"]
    assert numbers[701:703] == ["1.zz", "1.aaa"] and numbers[-1] == "1.baa"


def test_validate_accepts_more_than_702_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lab.yaml").write_text(spec_inputs.many_steps(703), encoding="utf-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # the command line's language follows the locale
    result = spec_inputs.run_limited("validate", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "(hostile 1, 703 steps)" in result.stdout


def test_a_date_written_plainly_is_text(tmp_path: Path) -> None:
    spec = tmp_path / "lab.yaml"
    spec.write_text(spec_inputs.spec_with_steps(spec_inputs.step("a")).replace('"1"}', "2024-05-01}", 1))
    assert load_lab(spec).version == "2024-05-01"
