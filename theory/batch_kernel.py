r"""The infinite-width map of the 2021 BN chain with an activation (v1 App. F), at a fixed batch
size n, in ball arithmetic; and, for comparison, the fixed points of the AISTATS 2025 kernel map.

**The chain as implemented** (:func:`theory.chain.simulate`, ``activation_scale="rows"``, the
authors' scale): ``A_l = sqrt(d) H_l / ||H_l||_F``, ``M_l = W_l phi(A_l)``, ``H_{l+1} =
BN(M_l) / sqrt(d)``, BN acting on each of the d rows over the n samples (``variant="bn"``:
``m / ||m||``; ``"bn-centered"``: ``P m / ||P m||``, ``P = I - 11^T/n``).  For ``l >= 1``
``A_l = BN(M_{l-1})``: every row has unit norm.

**Mean field (d -> infinity, n fixed).**  Given ``A_l``, the rows of ``M_l`` are i.i.d.
``N(0, Sigma_hat_l)`` with ``Sigma_hat_l = phi(A_l)^T phi(A_l) / d``, and the rows of
``A_{l+1}`` are i.i.d. ``u = z/||z||`` (centred: ``P z / ||P z||``), ``z ~ N(0, Sigma_hat_l)``.
By the law of large numbers over the d rows, layer by layer, ``Sigma_hat_l -> Sigma_l`` and the
normalised Gram ``G_{l+1} = H^T H / ||H||_F^2 = (1/d) sum_rows u u^T -> E[u u^T]``, with

.. math:: \Sigma_{l+1} = E_{u}[\phi(u)\phi(u)^T], \quad u = z/\|z\| \;(\text{or } Pz/\|Pz\|),
          \quad z \sim N(0, \Sigma_l).

BN is scale invariant, so only the correlation matters.  ``H_0`` Gaussian gives ``A_0`` rows
``-> N(0, I/n)`` and an exchangeable ``Sigma_0`` (permutation invariance); the map keeps
``Sigma = (1 - rho) I + rho 11^T`` exchangeable, so it reduces to a scalar map ``rho -> F(rho)``
and the Gram's off-diagonal cosine ``c = E[u_1 u_2]/E[u_1^2] = n E[u_1 u_2]``:

* **centred BN, any phi**: ``P Sigma P = (1 - rho) P``, so ``Pz/||Pz||`` is uniform on the unit
  sphere of ``1^perp`` whatever rho; ``sum_i u_i = 0`` gives ``E[u_1 u_2]/E[u_1^2] = -1/(n - 1)``
  exactly, at every layer ``l >= 1``: ``c* = -1/(n - 1)`` (the activation does not enter);
* **BN without centring, odd phi** (tanh, sin, linear): the law of the rows is invariant under a
  sign flip of any coordinate, so ``Sigma_l`` is diagonal for every l: ``rho* = 0``, ``c* = 0``
  (and, at any finite d, ``E cos(h_i, h_j) = 0`` exactly, by the same flip of one column);
* **BN without centring, ReLU** (:func:`relu_map`): ``F(rho) = 2n E[relu(u_1) relu(u_2)]``
  (``E relu(u_1)^2 = E u_1^2 / 2 = 1/(2n)`` by ``z -> -z``), ``c = R(rho) = n E[u_1 u_2]``,
  ``rho_0 = kappa_ReLU(0) = 1/pi`` (the arc-cosine kernel of the Gaussian ``A_0``), and the chain's
  cosine at layer ``l >= 1`` tends to ``R(rho_{l-1})``.

**One-dimensional integrals** (ReLU).  Both moments are expectations of a function ``f``
homogeneous of degree 2 divided by ``||z||^2 = 1/int_0^inf e^{-s||z||^2} ds``; for each s the
Gaussian integral has covariance ``Sigma_s = Sigma (I + 2 s Sigma)^{-1}`` and weight
``det(I + 2 s Sigma)^{-1/2}``.  With ``w = 1/(1 + 2s)``, ``lambda_1 = 1 + (n - 1) rho`` (on 1),
``lambda_0 = 1 - rho`` (on ``1^perp``), ``q_i = lambda_i + w (1 - lambda_i)``, ``nu_i =
lambda_i / q_i``:

.. math:: E[f(u)] = \int_0^1 \frac{w^{n/2 - 1}}{2 \sqrt{q_1}\, q_0^{(n-1)/2}}\,
          \tilde f(\nu_1, \nu_0)\, dw,

with ``tilde f = (nu_1 - nu_0)/n`` for ``u_1 u_2`` and ``tilde f = s^2 k(r) / (2 pi)`` for
``relu(u_1) relu(u_2)``, ``s^2 = (nu_1 + (n - 1) nu_0)/n``, ``r = (nu_1 - nu_0)/(n s^2)``, ``k(r)
= sqrt(1 - r^2) + (pi - arccos r) r`` (the arc-cosine kernel of the 2 x 2 marginal).  The
integrand is analytic on [0, 1] for ``rho in (-1/(n-1), 1)`` (``q_i >= min(1, lambda_i) > 0``);
``acb.integral`` encloses it.  Derivatives in rho (for the mean-value enclosure of F on a
ball, :func:`relu_map`) by first-order jets through the same integrand.

**AISTATS 2025** (:func:`aistats_fixed_point`): the normalised kernel map ``kappa_phi`` acts on
unit-variance Gaussian pre-activations of each sample (no batch coupling): ReLU is case 3
(``kappa(0) = 1/pi > 0``, ``kappa'(1) = 1``) with ``rho* = 1``; tanh (odd) and sin (``kappa(rho)
= sinh(rho)/sinh(1)``: ``E[sin X sin Y] = e^{-1} sinh(rho)``) are case 1 with ``rho* = 0``;
centring the activation (``(kappa - kappa(0))/(1 - kappa(0))``) moves ReLU to case 1, ``rho* =
0``, and changes nothing for tanh and sin (``E phi = 0``).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

from flint import acb, arb, ctx, fmpq

from . import activations as A

VARIANTS = ("bn", "bn-centered")
ACTIVATIONS = ("relu", "tanh", "sin", "linear")
ODD = ("tanh", "sin", "linear")
PREC = 64


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 64:
        raise ValueError(f"n must be an integer batch size in [2, 64]; got {n!r}")
    return n


def check_variant(variant: Any) -> str:
    """``variant`` must be one of :data:`VARIANTS` (``ValueError`` naming it otherwise)."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
    return variant


def check_activation(activation: Any) -> str:
    """``activation`` must be one of :data:`ACTIVATIONS` (``ValueError`` naming it otherwise)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
    return activation


def _ball(x: Any, n: int) -> arb:
    """``rho`` as a ball in (-1/(n-1), 1) (``ValueError`` naming rho otherwise)."""
    if isinstance(x, bool):
        raise ValueError(f"rho must be a number in (-1/(n-1), 1); got {x!r}")
    if isinstance(x, Fraction):
        b = arb(fmpq(x.numerator, x.denominator))
    elif isinstance(x, (int, float)):
        if not math.isfinite(x):
            raise ValueError(f"rho must be finite; got {x!r}")
        b = arb(x)
    elif isinstance(x, arb):
        b = x
    else:
        raise ValueError(f"rho must be an int, float, Fraction or arb; got {type(x).__name__}")
    if not (b.lower() > -1.0 / (n - 1) and b.upper() < 1):
        raise ValueError(f"rho must lie in (-1/(n-1), 1) = ({-1 / (n - 1):.4g}, 1); got {x!r}")
    return b


class _Jet:
    """``v + d eps`` (eps^2 = 0) over acb: first-order derivatives through the integrand."""

    __slots__ = ("v", "d")

    def __init__(self, v: Any, d: Any = 0) -> None:
        self.v, self.d = acb(v), acb(d)

    def __add__(self, o: Any) -> _Jet:
        o = o if isinstance(o, _Jet) else _Jet(o)
        return _Jet(self.v + o.v, self.d + o.d)

    __radd__ = __add__

    def __sub__(self, o: Any) -> _Jet:
        o = o if isinstance(o, _Jet) else _Jet(o)
        return _Jet(self.v - o.v, self.d - o.d)

    def __rsub__(self, o: Any) -> _Jet:
        return _Jet(o) - self

    def __mul__(self, o: Any) -> _Jet:
        o = o if isinstance(o, _Jet) else _Jet(o)
        return _Jet(self.v * o.v, self.v * o.d + self.d * o.v)

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> _Jet:
        o = o if isinstance(o, _Jet) else _Jet(o)
        q = self.v / o.v
        return _Jet(q, (self.d - q * o.d) / o.v)

    def __rtruediv__(self, o: Any) -> _Jet:
        return _Jet(o) / self

    def sqrt(self, analytic: bool) -> _Jet:
        s = self.v.sqrt(analytic=analytic)
        return _Jet(s, self.d / (2 * s))

    def acos(self, analytic: bool) -> _Jet:
        r = self.v
        sq = (1 - r * r).sqrt(analytic=analytic)
        return _Jet(_acos(r, sq), -self.d / sq)


def _acos(r: acb, sq: acb) -> acb:
    """``arccos r = 2 atan(sqrt(1 - r^2)/(1 + r))`` on r in (-1, 1], with ``sq = sqrt(1 - r^2)``
    computed with acb.integral's ``analytic`` flag: the integrand is then certified holomorphic
    wherever it is evaluated (the flag makes it non-finite on sqrt's branch cut, |r| >= 1 real;
    atan's cuts lie on the imaginary axis beyond +-i, away from positive reals)."""
    return 2 * (sq / (1 + r)).atan()


def _integrand(rho: arb, n: int, which: str, jet: bool) -> Any:
    """The integrand of :func:`relu_integrals` (``which``: "cos" or "relu") as a function of
    (w, analytic) for acb.integral; with ``jet``, its derivative in rho (first-order jets)."""
    pi = arb.pi()

    def f(w: acb, an: bool) -> Any:
        r_: Any = _Jet(rho, 1) if jet else acb(rho)
        l1 = 1 + (n - 1) * r_
        l0 = 1 - r_
        q1 = l1 + w * (1 - l1)
        q0 = l0 + w * (1 - l0)
        nu1, nu0 = l1 / q1, l0 / q0
        s0 = q0.sqrt(an) if jet else q0.sqrt(analytic=an)
        pre = (w.sqrt(analytic=an) ** (n - 2)) / (2 * (q1.sqrt(an) if jet else q1.sqrt(
            analytic=an)) * s0)  # fmt: skip
        for _ in range(n - 2):
            pre = pre / s0
        if which == "cos":
            val = pre * (nu1 - nu0) / n
        else:
            s2 = (nu1 + (n - 1) * nu0) / n
            r = (nu1 - nu0) / (nu1 + (n - 1) * nu0)
            if jet:
                k = (1 - r * r).sqrt(an) + (pi - r.acos(an)) * r
            else:
                sq = (1 - r * r).sqrt(analytic=an)
                k = sq + (pi - _acos(r, sq)) * r
            val = pre * s2 * k / (2 * pi)
        return val.d if jet else val

    return f


def relu_integrals(rho: Any, n: int = 4, *, derivative: bool = False, prec: int = PREC) -> dict:
    r"""``{"E u1 u2": E[u_1 u_2], "E relu u1 relu u2": E[relu(u_1) relu(u_2)]}`` as balls, for
    ``u = z/||z||``, ``z ~ N(0, (1 - rho) I + rho 11^T)`` in R^n (the w-integral of the module
    docstring; ``derivative=True``: their derivatives in rho).  ``rho`` in (-1/(n-1), 1)."""
    n = _check_n(n)
    with ctx.workprec(prec):
        b = _ball(rho, n)
        return {
            name: acb.integral(_integrand(b, n, which, derivative), 0, 1).real
            for name, which in (("E u1 u2", "cos"), ("E relu u1 relu u2", "relu"))
        }


def cosine_of(rho: Any, n: int = 4, *, prec: int = PREC) -> arb:
    """``R(rho) = E[u_1 u_2] / E[u_1^2] = n E[u_1 u_2]``: the Gram's off-diagonal cosine at
    infinite width after BN (no centring) of rows ``N(0, (1 - rho) I + rho 11^T)``."""
    return n * relu_integrals(rho, n, prec=prec)["E u1 u2"]


def _map_point(rho: arb, n: int, prec: int) -> arb:
    return 2 * n * relu_integrals(rho, n, prec=prec)["E relu u1 relu u2"]


def relu_map(rho: Any, n: int = 4, *, prec: int = PREC) -> arb:
    r"""A ball containing ``F(rho) = E[relu(u_1) relu(u_2)] / E[relu(u_1)^2] = 2n E[relu(u_1)
    relu(u_2)]``: the ReLU chain's map of the correlation of ``Sigma`` (BN without centring,
    batch n, infinite width).  A ball rho of radius r is enclosed in mean-value form, ``F(m) +
    [+/- sup|F'| r]`` with ``F'`` from the jet integrand on the ball (direct evaluation on a
    ball overestimates by a factor ~8 per layer, which an orbit would compound)."""
    n = _check_n(n)
    with ctx.workprec(prec):
        b = _ball(rho, n)
        if b.rad() == 0:
            return _map_point(b, n, prec)
        mid = _map_point(arb(b.mid()), n, prec)
        dF = 2 * n * relu_integrals(b, n, derivative=True, prec=prec)["E relu u1 relu u2"]
        return mid + abs(dF).upper() * b.rad() * arb(0, 1)


def relu_map_float(rho: float, n: int = 4) -> float:
    """The midpoint of :func:`relu_map` at a float rho."""
    return float(relu_map(float(rho), n).mid())


def _map_prime(rho: Any, n: int, prec: int) -> arb:
    """A ball containing ``F'`` over the ball rho (jet integrand)."""
    return 2 * n * relu_integrals(rho, n, derivative=True, prec=prec)["E relu u1 relu u2"]


def _q(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


@functools.lru_cache(maxsize=32)
def relu_fixed_point(n: int = 4, prec: int = PREC) -> tuple[arb, dict[str, Any]]:
    r"""``(rho*, how)``: the fixed point of :func:`relu_map` in (1/pi, 1) as a ball ``[lo,
    hi]``, certified by ``F(lo) > lo`` and ``F(hi) < hi`` (separated balls; F continuous, so a
    root lies between), ``hi - lo = 2^-40``; located by Newton on the midpoints from 0.45.
    ``how`` holds the two certified differences, ``lo``, ``hi`` (Fractions) and ``F'(rho*)``
    (a ball: the contraction factor at rho*)."""
    n = _check_n(n)
    x = 0.45
    for _ in range(30):
        fx = float(relu_map(x, n, prec=53).mid()) - x
        dx = float(_map_prime(x, n, 53).mid()) - 1.0
        nx = min(max(x - fx / dx, 1 / math.pi), 0.999)
        if abs(nx - x) < 1e-14:
            x = nx
            break
        x = nx
    c = Fraction(x)
    e = Fraction(1, 2**41)
    with ctx.workprec(prec):
        a, b = c - e, c + e
        fa = relu_map(a, n, prec=prec) - _q(a)
        fb = relu_map(b, n, prec=prec) - _q(b)
        if not (fa > 0 and fb < 0):
            raise ValueError(f"the fixed point of the ReLU map at n={n} could not be certified")
        ball = _q(c) + float(e) * (1 + 2**-40) * arb(0, 1)
        dF = _map_prime(ball, n, prec)
        return ball, {"F(lo) - lo": fa, "F(hi) - hi": fb, "F'(rho*)": dF, "lo": a, "hi": b}


@functools.lru_cache(maxsize=32)
def relu_orbit(n: int = 4, layers: int = 10, prec: int = PREC) -> tuple[arb, ...]:
    r"""``(rho_0, ..., rho_layers)``: the ReLU chain's correlation of ``Sigma_l`` at infinite
    width from ``rho_0 = 1/pi`` (``A_0`` Gaussian, the arc-cosine kernel at 0), ``rho_{l+1} =
    F(rho_l)`` in balls (:func:`relu_map`, mean-value form)."""
    n = _check_n(n)
    if isinstance(layers, bool) or not isinstance(layers, int) or not 0 <= layers <= 200:
        raise ValueError(f"layers must be an integer in [0, 200]; got {layers!r}")
    with ctx.workprec(prec):
        rho = 1 / arb.pi()
        out = [rho]
        for _ in range(layers):
            rho = relu_map(rho, n, prec=prec)
            out.append(rho)
        return tuple(out)


@functools.lru_cache(maxsize=32)
def relu_trap(n: int = 4, start: int = 10, prec: int = PREC) -> dict[str, Any]:
    r"""A ball containing ``rho_l`` for every ``l >= start`` and one containing the cosine
    ``R(rho_l)`` for every such l (hence ``c_{l+1}``), certified by monotonicity.  With ``rho_s``
    the orbit at ``s = start`` and ``K = hull(rho_s, rho*)`` (balls): certify ``rho_s <
    rho_{s+1} < rho*`` (separated balls) and ``F' > 0`` on K.  Then ``I = [rho_s, rho*]`` is
    invariant: for x in I, ``rho_{s+1} = F(rho_s) <= F(x) <= F(rho*) = rho*``, so every later
    iterate lies in I, inside K.  R is evaluated on K in mean-value form.  Keys: ``rho hull``,
    ``cosine``, ``F' on hull``, ``orbit`` (the balls up to ``start + 1``).  ``ValueError`` when
    the hull is wider than 0.02 (``start`` too small) or a step is not certified (``start`` too
    large: the orbit within the balls' width of rho*)."""
    n = _check_n(n)
    orbit = relu_orbit(n, start + 1, prec)
    rs, _ = relu_fixed_point(n, prec)
    with ctx.workprec(prec):
        K = orbit[start].union(rs)
        if K.rad() > 0.01:  # the jet integrand on a wide ball is slow and loose: refuse early
            raise ValueError(
                f"start must leave the orbit within 0.02 of rho* (start={start}, n={n}): the "
                f"hull has radius {float(K.rad()):.3g}"
            )
        dF = _map_prime(K, n, prec)
        ordered = orbit[start] < orbit[start + 1] and orbit[start + 1] < rs
        if not (dF > 0 and ordered):
            raise ValueError(
                f"start must leave the orbit certifiably below rho* (start={start}, n={n}): "
                "no certified trap"
            )
        dR = n * relu_integrals(K, n, derivative=True, prec=prec)["E u1 u2"]
        mid = cosine_of(arb(K.mid()), n, prec=prec)
        cos = mid + abs(dR).upper() * K.rad() * arb(0, 1)
        return {"rho hull": K, "cosine": cos, "F' on hull": dF, "orbit": orbit}


def limit_cosines(
    activation: str, variant: str, n: int = 4, layers: int = 10, prec: int = PREC
) -> tuple[arb, ...]:
    r"""``(c_0, ..., c_layers)``: the infinite-width limit of the Gram's off-diagonal cosine
    ``cos(h_i, h_j)`` (any i != j; the same for every pair by exchangeability) at each layer of
    the chain as implemented (module docstring): ``c_0 = 0`` (Gaussian ``H_0``); for ``l >= 1``
    ``-1/(n - 1)`` (centred BN, any activation), ``0`` (no centring, odd activation), ``R(rho_{l
    - 1})`` (no centring, ReLU: :func:`cosine_of` on :func:`relu_orbit`)."""
    check_activation(activation)
    check_variant(variant)
    n = _check_n(n)
    with ctx.workprec(prec):
        if variant == "bn-centered":
            rest = [arb(fmpq(-1, n - 1))] * layers
        elif activation in ODD:
            rest = [arb(0)] * layers
        else:
            orbit = relu_orbit(n, max(layers - 1, 0), prec)
            rest = [cosine_of(orbit[l], n, prec=prec) for l in range(layers)]
        return (arb(0), *rest)


def window_cosine(activation: str, variant: str, n: int = 4, burn: int = 10,
                  prec: int = PREC) -> arb:  # fmt: skip
    r"""A ball containing the infinite-width cosine ``c_l`` at every layer ``l >= burn >= 1``:
    exact for centred BN (``-1/(n - 1)``) and odd activations (0); for ReLU without centring
    the trap of :func:`relu_trap` from ``rho_{burn - 1}``."""
    check_activation(activation)
    check_variant(variant)
    n = _check_n(n)
    if isinstance(burn, bool) or not isinstance(burn, int) or not 1 <= burn <= 100:
        raise ValueError(f"burn must be an integer in [1, 100]; got {burn!r}")
    if variant == "bn-centered" or activation in ODD:
        return limit_cosines(activation, variant, n, 1, prec)[1]
    return relu_trap(n, burn - 1, prec)["cosine"]


def limit_cosine(activation: str, variant: str, n: int = 4, prec: int = PREC) -> arb:
    r"""``c*``: the limit of the cosine at the fixed point: ``-1/(n - 1)`` (centred), ``0`` (odd,
    no centring), ``R(rho*)`` (ReLU, no centring; mean-value form over the certified bracket of
    :func:`relu_fixed_point`)."""
    check_activation(activation)
    check_variant(variant)
    n = _check_n(n)
    with ctx.workprec(prec):
        if variant == "bn-centered":
            return arb(fmpq(-1, n - 1))
        if activation in ODD:
            return arb(0)
        rs, _ = relu_fixed_point(n, prec)
        dR = n * relu_integrals(rs, n, derivative=True, prec=prec)["E u1 u2"]
        return cosine_of(arb(rs.mid()), n, prec=prec) + abs(dR).upper() * rs.rad() * arb(0, 1)


def gap_of_cosine(c: Any, n: int = 4) -> Any:
    r"""``V = ||G - I/n||_F`` of the exchangeable trace-1 Gram with off-diagonal cosine c:
    ``G = ((1 - c) I + c 11^T)/n``, ``V = |c| sqrt(n (n - 1))/n = |c| sqrt((n - 1)/n)`` (Eq. 2)."""
    n = _check_n(n)
    return (
        abs(c) * ((n - 1) / n) ** 0.5
        if not isinstance(c, arb)
        else abs(c) * (arb(n - 1) / n).sqrt()
    )


def sin_kappa_ball(rho: Any, prec: int = PREC) -> arb:
    r"""AISTATS's normalised kernel of sin: ``E[sin X sin Y]/E[sin^2 X] = sinh(rho)/sinh(1)``
    (unit Gaussians, corr rho: ``E sin X sin Y = (E cos(X - Y) - E cos(X + Y))/2 = (e^{-(1 -
    rho)} - e^{-(1 + rho)})/2 = e^{-1} sinh rho``).  ``rho`` in [-1, 1]."""
    with ctx.workprec(prec):
        b = A.to_ball(rho)
        return b.sinh() / arb(1).sinh()


def aistats_fixed_point(activation: str, centred: bool = False, prec: int = PREC) -> dict:
    r"""The fixed point the AISTATS 2025 kernel map predicts (Theorem 1's case):
    ``{"rho*": arb, "case": int, "why": str, "kappa(0)": arb, "kappa'(0)": arb}``.

    ReLU: case 3 (``kappa(0) = 1/pi``, ``kappa'(1) = 1`` exactly), ``rho* = 1``; centred ReLU
    (``(kappa - 1/pi)/(1 - 1/pi)``): ``kappa(0) = 0``, ``kappa'(0) = (1/2)/(1 - 1/pi) < 1``, case
    1, ``rho* = 0``; tanh: case 1 (odd), ``rho* = 0``; sin: ``kappa = sinh(rho)/sinh(1)``,
    ``kappa(0) = 0``, ``kappa'(0) = 1/sinh(1) < 1``, case 1, ``rho* = 0``; linear: ``kappa(rho)
    = rho`` (every rho fixed; no case), reported as ``rho* = 0`` of the 2021 linear chain."""
    check_activation(activation)
    with ctx.workprec(prec):
        if activation == "relu":
            k0 = 1 / arb.pi()
            if centred:
                d0 = (arb(1) / 2) / (1 - k0)
                return {"rho*": arb(0), "case": 1, "kappa(0)": arb(0), "kappa'(0)": d0,
                        "why": "centred ReLU kernel (kappa - 1/pi)/(1 - 1/pi): kappa(0) = 0, "
                        "case 1"}  # fmt: skip
            return {"rho*": arb(1), "case": A.case_of("relu")[0], "kappa(0)": k0,
                    "kappa'(0)": arb(1) / 2, "why": A.case_of("relu")[1]}  # fmt: skip
        if activation == "tanh":
            f = A.facts("tanh")
            return {"rho*": arb(0), "case": f["case"], "kappa(0)": f["kappa(0)"],
                    "kappa'(0)": f["kappa'(0)"], "why": f["case decided by"]}  # fmt: skip
        if activation == "sin":
            return {"rho*": arb(0), "case": 1, "kappa(0)": arb(0),
                    "kappa'(0)": 1 / arb(1).sinh(),
                    "why": "kappa(rho) = sinh(rho)/sinh(1): kappa(0) = 0 (sin odd)"}  # fmt: skip
        return {"rho*": arb(0), "case": 0, "kappa(0)": arb(0), "kappa'(0)": arb(1),
                "why": "linear: kappa(rho) = rho"}  # fmt: skip


__all__ = [
    "ACTIVATIONS",
    "ODD",
    "VARIANTS",
    "aistats_fixed_point",
    "check_activation",
    "check_variant",
    "cosine_of",
    "gap_of_cosine",
    "limit_cosine",
    "limit_cosines",
    "relu_fixed_point",
    "relu_integrals",
    "relu_map",
    "relu_map_float",
    "relu_orbit",
    "relu_trap",
    "window_cosine",
    "sin_kappa_ball",
]
