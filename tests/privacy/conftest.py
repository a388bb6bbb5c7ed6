"""Fixtures for personal data: the applicant's workshop and form helpers, reused."""

from __future__ import annotations

from ..applicant.conftest import uploads, workshop  # noqa: F401  (fixtures)
