"""Build step pyproject.toml cannot say: the bundled labs ship inside the package.

The repository keeps them in specs/ at its top level; the wheel (and so any install, from the
wheel or the sdist) carries that folder as labcheck/bundled_specs/, where labcheck.bundled
finds them. An editable install needs no copy: the package sits beside specs/ in the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SPECS = Path(__file__).resolve().parent / "specs"


class BuildWithBundledLabs(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "labcheck" / "bundled_specs"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(SPECS, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBundledLabs})
