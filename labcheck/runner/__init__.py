"""Runs a lab's steps on real Docker engines. Knows nothing about pytest."""

from __future__ import annotations
