"""Theorem 1 in the infinite-width (mean-field) limit: placeholder, filled by the mean-field port."""

from __future__ import annotations
