"""The Spanish lab report: evidence in, `informe.html` and `informe.pdf` out."""

from __future__ import annotations
