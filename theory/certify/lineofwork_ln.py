r"""The LN + activation contraction of NeurIPS 2023 (Joudaki, Daneshmand, Bach) at infinite
width, certified in ball arithmetic (issue 19).

With LN after the activation, two samples of correlation rho have correlation ``hat
kappa(rho) = (kappa(rho) - kappa(0)) / (1 - kappa(0)) = sum_{k>=1} c_k^2 rho^k / sum_{k>=1}
c_k^2`` after one layer (:mod:`theory.norm_chain`), with ``kappa`` the normalised kernel of
:mod:`theory.activations`.  The claim: the potential ``gamma(rho) = |rho|/(1 - |rho|)``
contracts at least by ``b = 2 - beta_0`` per layer, ``beta_0 = hat kappa'(0) = kappa'(0)/(1 -
kappa(0))``:

.. math:: \gamma(\hat\kappa(\rho)) \le \gamma(\rho) / (2 - \beta_0) \quad (|\rho| < 1).

(Derivation: ``|hat kappa(rho)| <= beta_0 |rho| + (1 - beta_0) rho^2`` since ``|rho|^k <=
rho^2`` for k >= 2; with ``u = (1 - beta_0)(1 - |rho|)`` the right side is ``|rho| (1 - u)``
while ``gamma^{-1}(gamma(rho)/b) = |rho|/(1 + u)``, and ``(1 - u)(1 + u) <= 1``.)

:func:`certify_ln_contraction` certifies the strict inequality at one rho (exact rational) with
the kernel's balls, or at the limit rho -> 1 (``"limit"``), where the ratio of potentials tends
to ``1 / hat kappa'(1)``, ``hat kappa'(1) = kappa'(1)/(1 - kappa(0))``.  Two planted variants
use the same b: ``"no-centring"`` (RMS normalisation: the uncentred ``kappa``, whose ``kappa(0)
> 0`` pushes correlations up) and ``"activation-free"`` (``kappa(rho) = rho``, the linear chain
with LN).  Overlapping balls say "not certified".
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flint import arb, fmpq

from .. import activations as A
from . import _core as C

ID_LN_MF = "isometry-2023/ln-contraction-meanfield"
VARIANTS = ("ln", "no-centring", "activation-free")
#: the activations certified (theory.activations' closed forms and certified quadratures)
ACTS = ("relu", "tanh", "sigmoid", "exp", "gelu", "selu")


def _rho(rho: Any) -> arb | str:
    if isinstance(rho, str):
        if rho != "limit":
            raise ValueError(f"rho must be a rational in (-1, 1) or 'limit'; got {rho!r}")
        return rho
    if isinstance(rho, bool) or not isinstance(rho, (int, float, Fraction)):
        raise ValueError(f"rho must be an int, float or Fraction in (-1, 1); got {rho!r}")
    q = Fraction(rho)
    if not -1 < q < 1:
        raise ValueError(f"rho must satisfy |rho| < 1; got {rho!r}")
    return arb(fmpq(q.numerator, q.denominator))


def _gamma(x: arb) -> arb:
    a = abs(x)
    return a / (1 - a)


def rate_balls(act: str) -> dict[str, arb]:
    """``{"kappa(0)", "beta0", "b", "hat kappa'(1)", "kappa'(1)"}`` as balls for ``act``."""
    f = A.facts(A.check_name(act))
    k0, d0, d1 = f["kappa(0)"], f["kappa'(0)"], f["kappa'(1)"]
    beta = d0 / (1 - k0)
    return {
        "kappa(0)": k0,
        "beta0": beta,
        "b": 2 - beta,
        "hat kappa'(1)": d1 / (1 - k0),
        "kappa'(1)": d1,
    }


def certify_ln_contraction(
    act: str, rho: Any, variant: str = "ln", *, prec: int = A.PREC
) -> C.Certificate:
    r"""Certificate of ``gamma(kappa_v(rho)) < gamma(rho) / (2 - beta_0)`` (``kappa_v``: the LN
    kernel ``hat kappa`` for ``variant="ln"``; the uncentred ``kappa`` for ``"no-centring"``;
    ``rho`` itself for ``"activation-free"``; ``beta_0`` always the activation's under LN).  At
    ``rho="limit"`` the compared numbers are the limits of the ratio ``gamma(kappa_v(rho)) /
    gamma(rho)`` as rho -> 1: ``1/hat kappa'(1)``, ``1/kappa'(1)`` or 1, against ``1/b``.
    Planted variants carry ``details["planted"]`` and ``details["control"]``."""
    if act not in ACTS:
        raise ValueError(f"act must be one of {ACTS}; got {act!r}")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
    C.check_prec(prec)
    t = C.Timer()
    with C.precision(prec):
        r = _rho(rho)
        rb = rate_balls(act)
        b = rb["b"]
        if isinstance(r, str):
            slope = {
                "ln": rb["hat kappa'(1)"],
                "no-centring": rb["kappa'(1)"],
                "activation-free": arb(1),
            }[variant]
            lhs, rhs = 1 / slope, 1 / b
            where = "rho -> 1: lim gamma(kappa_v(rho))/gamma(rho)"
        else:
            k = A.kappa_ball(act, r, prec=prec)
            kv = {
                "ln": (k - rb["kappa(0)"]) / (1 - rb["kappa(0)"]),
                "no-centring": k,
                "activation-free": r,
            }[variant]
            lhs, rhs = _gamma(kv), _gamma(r) / b
            where = f"rho = {rho}"
        outcome = C.decide(lhs, rhs, "<")
        details: dict[str, Any] = {
            "act": act,
            "rho": str(rho),
            "variant": variant,
            "beta0": C.ball_str(rb["beta0"]),
            "2 - beta0": C.ball_str(b),
            "hat kappa'(1)": C.ball_str(rb["hat kappa'(1)"]),
        }
        if variant != "ln":
            details.update({"planted": True, "control": variant})
        claim = f"{act}, {where}: gamma after one layer < gamma/(2 - beta_0)" + (
            "" if variant == "ln" else f" [variant '{variant}']"
        )
        return C.make(
            ID_LN_MF, claim, outcome, "<", lhs, rhs, prec=prec, seconds=t(), details=details
        )


__all__ = ["ACTS", "ID_LN_MF", "VARIANTS", "certify_ln_contraction", "rate_balls"]
