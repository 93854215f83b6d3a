"""Run profiles: ``ci`` (deterministic, 2 cores, minutes), ``thorough`` (workstation) and
``paper`` (paper-scale parameters, meant for a GPU).

Select with ``pytest --profile NAME`` (or ``THEORY_PROFILE=NAME``, read by ``verify/conftest.py``
only: the library itself never reads the environment).  Checks read sizes through
:meth:`Profile.pick`, so each check states its three scales in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

PROFILE_NAMES = ("ci", "thorough", "paper")
PROFILE_ENV = "THEORY_PROFILE"


@dataclass(frozen=True)
class Profile:
    name: str
    max_examples: int
    derandomize: bool

    def pick(self, *, ci: T, thorough: T, paper: T) -> T:
        """The value for this profile."""
        return {"ci": ci, "thorough": thorough, "paper": paper}[self.name]


PROFILES: dict[str, Profile] = {
    "ci": Profile("ci", max_examples=6, derandomize=True),
    "thorough": Profile("thorough", max_examples=60, derandomize=False),
    "paper": Profile("paper", max_examples=30, derandomize=False),
}


def get_profile(name: str | None = None) -> Profile:
    """The profile named ``name`` (``ci`` when None).  Reads no environment variable: the verify
    conftest resolves ``--profile`` / ``$THEORY_PROFILE`` and passes the name down."""
    name = name or "ci"
    if name not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILE_NAMES}; got {name!r}")
    return PROFILES[name]
