r"""Normalised kernel maps of common activations (AISTATS 2025, Table 1), in ball arithmetic.

The paper's normalisation (paper/main.tex of github.com/ajoudaki/kernel-global, the remark
``rem:act-normalization`` before Table 1: "we can achieve it for all activation functions by
inversely scaling them by a constant factor, equal to C = sqrt(E[phi(X)^2])"; no centring, no
scaling of the input): with (X, Y) standard bivariate normal of correlation rho,

.. math:: \kappa_\phi(\rho) = \frac{E[\phi(X)\phi(Y)]}{E[\phi(X)^2]} = \sum_k c_k^2 \rho^k,
          \qquad c_k = E[\phi(X)\, he_k(X)] / C, \quad \sum_k c_k^2 = 1.

With ``he_k' = sqrt(k) he_{k-1}`` and Gaussian integration by parts (phi absolutely continuous,
phi' square-integrable; all activations here):

.. math:: \kappa(0) = \frac{(E\phi)^2}{C^2}, \quad \kappa'(0) = c_1^2 = \frac{(E\phi')^2}{C^2},
          \quad \kappa'(1) = \sum_k k c_k^2 = \frac{E[\phi'(X)^2]}{C^2}.

Closed forms: ReLU (arc-cosine kernel, ``kappa(rho) = (sqrt(1 - rho^2) + (pi - arccos rho)
rho)/pi``, ``kappa'(rho) = 1 - arccos(rho)/pi``), exp (``e^{rho - 1}``) and GELU (``x Phi(x)``:
:func:`gelu_kernel_unnormalised`).  tanh, sigmoid, SELU and ELU (= CELU with alpha = 1) have no
elementary kernel: their normalised Hermite coefficients are computed by rigorous quadrature
(``acb.integral`` on [-T, T], T = 20, plus a Cauchy-Schwarz tail bound), and the truncation is
bounded by the exact remainders (``c_k^2 >= 0``):

.. math:: 0 \le \sum_{k>K} c_k^2 |\rho|^k \le \Big(1 - \sum_{k\le K} c_k^2\Big) |\rho|^{K+1},
          \quad 0 \le \sum_{k>K} k c_k^2 |\rho|^{k-1} \le \Big(\kappa'(1) - \sum_{k \le K} k
          c_k^2\Big) |\rho|^K,

with ``kappa'(1)`` from the moment ``E phi'^2`` (not from the series).  Every value is an Arb
ball that contains the exact number; the float functions return its midpoint.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from flint import acb, arb, arb_series, ctx, fmpq

#: The activations of Table 1 (``elu`` is also the table's CELU: CELU with alpha = 1 is ELU).
NAMES = ("relu", "tanh", "sigmoid", "exp", "gelu", "selu", "elu")
CLOSED_FORM = ("relu", "exp", "gelu")
#: Half-width of the quadrature interval; the tail beyond it is bounded rigorously.
T_QUAD = 20
#: Hermite coefficients kept for the kernels without a closed form.
HERMITE_K = 48
PREC = 128

#: Table 1 of AISTATS 2025 as printed (paper/main.tex, table ``tab:activation_stats``, commit
#: 66fc025): columns C, alpha, rho*, kappa(rho*), kappa(0), kappa'(0), kappa'(1), kappa'(rho*),
#: case.  CELU and ELU are printed as two rows with the same numbers (the same function).
TABLE_1_COLUMNS = ("C", "alpha", "rho*", "kappa(rho*)", "kappa(0)", "kappa'(0)", "kappa'(1)",
                   "kappa'(rho*)", "case")  # fmt: skip
TABLE_1_PRINTED: dict[str, tuple[str, ...]] = {
    "tanh": ("0.63", "0.93", "0.00", "0.00", "0.00", "0.93", "1.18", "0.93", "1"),
    "selu": ("1.00", "0.97", "0.00", "0.00", "0.00", "0.97", "1.06", "0.97", "1"),
    "relu": ("0.71", "0.95", "1.00", "1.00", "0.32", "0.50", "0.95", "0.95", "2"),
    "sigmoid": ("0.54", "0.15", "1.00", "1.00", "0.85", "0.15", "0.15", "0.15", "2"),
    "exp": ("2.72", "0.74", "1.00", "1.00", "0.37", "0.37", "1.00", "1.00", "3"),
    "gelu": ("0.65", "0.93", "0.76", "0.76", "0.19", "0.59", "1.07", "0.93", "4"),
    "elu": ("0.80", "0.97", "0.60", "0.60", "0.04", "0.90", "1.04", "0.97", "4"),
}
#: The cells of Table 1 that differ from the recomputed values (recorded: the certificates
#: certify each cell's recorded verdict, so a change in the table or in the code is caught).
TABLE_1_MISMATCHES = frozenset(
    {
        ("relu", "alpha"),
        ("relu", "kappa'(1)"),
        ("relu", "kappa'(rho*)"),
        ("relu", "case"),
        ("exp", "alpha"),
        ("selu", "kappa'(1)"),
    }
)
#: The table's rows in print order (``celu`` is printed with ``elu``'s numbers).
TABLE_1_ORDER = ("tanh", "selu", "relu", "sigmoid", "exp", "gelu", "celu", "elu")


def check_name(name: Any) -> str:
    """``name`` must be one of :data:`NAMES` (``ValueError`` naming ``name`` otherwise)."""
    if name not in NAMES:
        raise ValueError(f"name must be one of {NAMES}; got {name!r}")
    return name


def _check_prec(prec: Any) -> int:
    if isinstance(prec, bool) or not isinstance(prec, int) or not 53 <= prec <= 4096:
        raise ValueError(f"prec must be an integer number of bits in [53, 4096]; got {prec!r}")
    return prec


def to_ball(x: Any, param: str = "rho", lo: float = -1.0, hi: float = 1.0) -> arb:
    """An exact (int, Fraction, float) or given (arb) ball for ``x``, which must lie in [lo, hi]
    (``ValueError`` naming ``param`` otherwise)."""
    if isinstance(x, bool):
        raise ValueError(f"{param} must be a number in [{lo}, {hi}]; got {x!r}")
    if isinstance(x, arb):
        b = x
    elif isinstance(x, Fraction):
        b = arb(fmpq(x.numerator, x.denominator))
    elif isinstance(x, (int, float)):
        if not math.isfinite(x):
            raise ValueError(f"{param} must be a finite number in [{lo}, {hi}]; got {x!r}")
        b = arb(x)
    else:
        raise ValueError(f"{param} must be an int, float, Fraction or arb; got {type(x).__name__}")
    if not (b.lower() >= lo and b.upper() <= hi):
        raise ValueError(f"{param} must lie in [{lo}, {hi}]; got {x!r}")
    return b


# ------------------------------------------------------------------ constants and closed forms


def _Phi_neg(t: arb) -> arb:
    """``Phi(-t) = erfc(t/sqrt 2)/2``."""
    return (t / arb(2).sqrt()).erfc() / 2


def selu_constants() -> tuple[arb, arb]:
    """``(alpha, lambda)`` of SELU defined by its equations (Klambauer et al. 2017): mean 0 and
    second moment 1 under N(0, 1), i.e. ``alpha = sqrt(2/pi)/(1 - sqrt(e) erfc(1/sqrt 2))`` and
    ``lambda = (1/2 + alpha^2 (e^2 Phi(-2) - 2 sqrt(e) Phi(-1) + 1/2))^{-1/2}`` (at the current
    precision; 1.6732632423543772..., 1.0507009873554804...)."""
    e = arb(1).exp()
    a = (2 / arb.pi()).sqrt() / (1 - e.sqrt() * (1 / arb(2).sqrt()).erfc())
    m2 = arb(1) / 2 + a * a * (
        e * e * _Phi_neg(arb(2)) - 2 * e.sqrt() * _Phi_neg(arb(1)) + arb(1) / 2
    )
    return a, 1 / m2.sqrt()


def _elu_like_moments(a: arb, lam: arb) -> dict[str, arb]:
    """Gaussian moments of ``lam (x^+ + a (e^x - 1) 1{x < 0})`` (closed forms: ``E[e^{cX}; X <
    0] = e^{c^2/2} Phi(-c)``)."""
    e = arb(1).exp()
    p1, p2 = _Phi_neg(arb(1)), _Phi_neg(arb(2))
    half = arb(1) / 2
    mean = lam * (1 / (2 * arb.pi()).sqrt() + a * (e.sqrt() * p1 - half))
    sq = lam * lam * (half + a * a * (e * e * p2 - 2 * e.sqrt() * p1 + half))
    d1 = lam * (half + a * e.sqrt() * p1)
    d2 = lam * lam * (half + a * a * e * e * p2)
    return {"E phi": mean, "E phi^2": sq, "E phi'": d1, "E phi'^2": d2}


def gelu_kernel_unnormalised(rho: Any) -> Any:
    r"""``E[f(X) f(Y)]`` for ``f(x) = x Phi(x)`` (GELU), corr(X, Y) = rho (an arb or an
    arb_series in rho).

    Writing ``Phi(X) = P(U <= X)`` with U, V i.i.d. N(0, 1): ``E[X Y 1{A >= 0} 1{B >= 0}]``,
    ``A = (X - U)/sqrt 2``, ``B = (Y - V)/sqrt 2``, corr(A, B) = r = rho/2.  Regressing X, Y on
    (A, B): ``beta_X = (1 - rho^2/2, rho/2)/(sqrt 2 (1 - r^2))``, ``beta_Y`` mirrored, residual
    covariance ``rho/(4 - rho^2)``; with the orthant moments ``P = 1/4 + asin(r)/(2 pi)``,
    ``E[A^2; A, B >= 0] = P + r sqrt(1 - r^2)/(2 pi)``, ``E[AB; A, B >= 0] = r P + sqrt(1 -
    r^2)/(2 pi)``:

    .. math:: E f(X) f(Y) = \beta_X^T M \beta_Y + \frac{\rho}{4 - \rho^2} P.
    """
    r = rho / 2
    two_pi = 2 * arb.pi()
    P = arb(1) / 4 + r.asin() / two_pi
    s = (1 - r * r).sqrt()
    m2 = P + r * s / two_pi
    m11 = r * P + s / two_pi
    a = 1 - rho * rho / 2
    b = rho / 2
    # beta_X = (a, b)/d, beta_Y = (b, a)/d, d = sqrt 2 (1 - r^2)
    quad = (a * b * m2 + a * a * m11 + b * b * m11 + b * a * m2) / (2 * (1 - r * r) ** 2)
    return quad + rho / (4 - rho * rho) * P


def _closed_kappa(name: str, rho: arb) -> arb:
    if name == "relu":
        # = (sqrt(1 - rho^2) + (pi - arccos rho) rho)/pi, written to be exact at rho = 1
        return rho * (1 - rho.acos() / arb.pi()) + (1 - rho * rho).sqrt() / arb.pi()
    if name == "exp":
        return (rho - 1).exp()
    return gelu_kernel_unnormalised(rho) / gelu_kernel_unnormalised(arb(1))


def _closed_kappa_prime(name: str, rho: arb) -> arb:
    if name == "relu":
        return 1 - rho.acos() / arb.pi()
    if name == "exp":
        return (rho - 1).exp()
    return gelu_kernel_unnormalised(arb_series([rho, 1], prec=2)).coeffs()[1] / (
        gelu_kernel_unnormalised(arb(1))
    )


# ------------------------------------------------------------------ quadrature


def _pieces(name: str) -> list[tuple[int, int, Callable[[acb], acb], Callable[[acb], acb]]]:
    """``[(lo, hi, phi, phi')]`` on which phi is analytic (meromorphic for tanh, sigmoid)."""
    T = T_QUAD
    if name == "tanh":
        return [(-T, T, lambda x: x.tanh(), lambda x: x.sech() ** 2)]
    if name == "sigmoid":
        return [(-T, T, lambda x: (1 + (x / 2).tanh()) / 2, lambda x: (x / 2).sech() ** 2 / 4)]
    if name == "relu":
        return [(0, T, lambda x: x, lambda x: acb(1))]
    if name == "gelu":
        r2 = arb(2).sqrt()
        g = 1 / (2 * arb.pi()).sqrt()
        return [
            (
                -T,
                T,
                lambda x: x * (1 + (x / r2).erf()) / 2,
                lambda x: (1 + (x / r2).erf()) / 2 + x * g * (-(x * x) / 2).exp(),
            )
        ]
    if name in ("selu", "elu"):
        a, lam = selu_constants() if name == "selu" else (arb(1), arb(1))
        return [
            (-T, 0, lambda x: lam * a * (x.exp() - 1), lambda x: lam * a * x.exp()),
            (0, T, lambda x: lam * x, lambda x: acb(lam)),
        ]
    raise ValueError(f"name must be one of {tuple(n for n in NAMES if n != 'exp')}; got {name!r}")


def _envelope(name: str) -> tuple[tuple[arb, arb], tuple[arb, arb]]:
    """``((a, b), (a', b'))`` with ``|phi(x)| <= a + b|x|`` and ``|phi'(x)| <= a' + b'|x|``."""
    one, zero = arb(1), arb(0)
    if name == "tanh":
        return (one, zero), (one, zero)
    if name == "sigmoid":
        return (one, zero), (one / 4, zero)
    if name == "relu":
        return (zero, one), (one, zero)
    if name == "gelu":  # |Phi(x) + x gamma(x)| <= 1 + 1/sqrt(2 pi e) < 5/4
        return (zero, one), (arb(5) / 4, zero)
    a, lam = selu_constants() if name == "selu" else (arb(1), arb(1))
    return (lam * a, lam), (lam * a, zero)  # a >= 1


def _tail(a: arb, b: arb, m: int) -> arb:
    """``E[(a + b|X|)^m; |X| > T]`` for m = 1, 2 (X ~ N(0, 1), T = :data:`T_QUAD`):
    ``P(|X| > T) = erfc(T/sqrt 2)``, ``E[|X|; .] = 2 gamma(T)``, ``E[X^2; .] = 2 T gamma(T) +
    erfc(T/sqrt 2)``."""
    T = arb(T_QUAD)
    p = (T / arb(2).sqrt()).erfc()
    g = (-(T * T) / 2).exp() / (2 * arb.pi()).sqrt()
    if m == 1:
        return a * p + 2 * b * g
    return a * a * p + 4 * a * b * g + b * b * (2 * T * g + p)


def _gauss_integral(f: Callable[[acb], acb], lo: int, hi: int) -> arb:
    """``int_lo^hi f(x) gamma(x) dx`` (``acb.integral``; f analytic or meromorphic there)."""
    g = 1 / (2 * arb.pi()).sqrt()
    v = acb.integral(lambda x, _an: f(x) * (-(x * x) / 2).exp() * g, lo, hi)
    return v.real


def _expect(pieces: list[tuple[int, int, Any, Any]], which: int, power: int, env: tuple) -> arb:
    """``E[g(X)^power]`` with g = phi (which=2) or phi' (which=3), tail bounded by ``env``."""
    tot = arb(0)
    for p in pieces:
        fn = p[which]
        g = (lambda x, fn=fn: fn(x) ** power) if power > 1 else fn
        tot += _gauss_integral(g, p[0], p[1])
    return tot + _tail(*env, power) * arb(0, 1)


def quadrature_moments(name: str, prec: int = PREC) -> dict[str, arb]:
    """``E phi, E phi^2, E phi', E phi'^2`` by rigorous quadrature (every name but ``exp``);
    the cross-check of the closed forms of :func:`moments`."""
    check_name(name)
    _check_prec(prec)
    with ctx.workprec(prec):
        pcs = _pieces(name)
        env, denv = _envelope(name)
        return {
            "E phi": _expect(pcs, 2, 1, env),
            "E phi^2": _expect(pcs, 2, 2, env),
            "E phi'": _expect(pcs, 3, 1, denv),
            "E phi'^2": _expect(pcs, 3, 2, denv),
        }


#: activations whose mean is 0 exactly: tanh (odd) and SELU (alpha is defined by it)
ZERO_MEAN = ("tanh", "selu")


@functools.lru_cache(maxsize=64)
def moments(name: str, prec: int = PREC) -> dict[str, arb]:
    """``{"E phi", "E phi^2", "E phi'", "E phi'^2"}`` (X ~ N(0, 1)) as balls: closed forms for
    ReLU (1/sqrt(2 pi), 1/2, 1/2, 1/2), exp (e^{1/2}, e^2, e^{1/2}, e^2), GELU (1/(2 sqrt pi),
    the kernel at 1, 1/2, its derivative at 1 by Price's theorem), SELU and ELU
    (:func:`_elu_like_moments`); quadrature for tanh and sigmoid.  ``E phi = 0`` exactly for
    tanh (odd) and SELU (its alpha is defined by it)."""
    check_name(name)
    _check_prec(prec)
    with ctx.workprec(prec):
        if name == "relu":
            h = arb(1) / 2
            out = {"E phi": 1 / (2 * arb.pi()).sqrt(), "E phi^2": h, "E phi'": h, "E phi'^2": h}
        elif name == "exp":
            e = arb(1).exp()
            out = {"E phi": e.sqrt(), "E phi^2": e * e, "E phi'": e.sqrt(), "E phi'^2": e * e}
        elif name == "gelu":
            one = arb(1)
            d = gelu_kernel_unnormalised(arb_series([one, 1], prec=2)).coeffs()[1]
            out = {
                "E phi": 1 / (2 * arb.pi().sqrt()),
                "E phi^2": gelu_kernel_unnormalised(one),
                "E phi'": one / 2,
                "E phi'^2": d,
            }
        elif name in ("selu", "elu"):
            a, lam = selu_constants() if name == "selu" else (arb(1), arb(1))
            out = _elu_like_moments(a, lam)
        else:
            out = quadrature_moments(name, prec)
        if name in ZERO_MEAN:
            out["E phi"] = arb(0)
        if name == "selu":
            out["E phi^2"] = arb(1)  # lambda is defined by it
        return out


# ------------------------------------------------------------------ Hermite coefficients


def _he_normalised(k: int, x: acb) -> acb:
    """``he_k(x)`` (orthonormal): ``he_{j+1} = (x he_j - sqrt(j) he_{j-1}) / sqrt(j + 1)``."""
    a, b = acb(0), acb(1)
    for j in range(k):
        a, b = b, (x * b - arb(j).sqrt() * a) / arb(j + 1).sqrt()
    return b


def _parity_zero(name: str, k: int) -> bool:
    """c_k = 0 by symmetry: tanh odd (even k); sigmoid - 1/2 odd (even k >= 2); GELU - x/2 and
    ReLU - x/2 even (odd k >= 3)."""
    if name == "tanh":
        return k % 2 == 0
    if name == "sigmoid":
        return k >= 2 and k % 2 == 0
    if name in ("gelu", "relu"):
        return k >= 3 and k % 2 == 1
    return False


@functools.lru_cache(maxsize=64)
def hermite(name: str, K: int = HERMITE_K, prec: int = PREC) -> tuple[tuple[arb, ...], arb, arb]:
    """``(c2, tail, tail1)``: ``c2[k] = c_k^2`` (k = 0..K, normalised by ``E phi^2`` of
    :func:`moments`), ``tail = 1 - sum c2`` and ``tail1 = kappa'(1) - sum k c2`` (balls whose
    true values are >= 0: the remainders of the series at |rho| = 1).  Quadrature as in
    :func:`quadrature_moments`; the tail of ``E[phi he_k]`` beyond ``|x| > T`` is at most
    ``sqrt(E[(a + b|X|)^2; |X| > T])`` (Cauchy-Schwarz, ``E he_k^2 = 1``)."""
    check_name(name)
    if name == "exp":
        raise ValueError("name must not be 'exp' here (closed form: c_k^2 = e^-1 / k!)")
    if isinstance(K, bool) or not isinstance(K, int) or not 1 <= K <= 400:
        raise ValueError(f"K must be an integer in [1, 400]; got {K!r}")
    _check_prec(prec)
    m = moments(name, prec)
    with ctx.workprec(prec):
        pcs = _pieces(name)
        env, _ = _envelope(name)
        tail_k = _tail(*env, 2).sqrt() * arb(0, 1)
        c2 = []
        for k in range(K + 1):
            if _parity_zero(name, k):
                c2.append(arb(0))
                continue
            if k == 0:
                ck = m["E phi"]
            elif k == 1:
                ck = m["E phi'"]
            else:
                ck = sum(
                    (_gauss_integral(lambda x, f=p[2], k=k: f(x) * _he_normalised(k, x), p[0], p[1])
                     for p in pcs),
                    arb(0),
                ) + tail_k  # fmt: skip
            c2.append(ck * ck / m["E phi^2"])
        tail = 1 - sum(c2, arb(0))
        tail1 = m["E phi'^2"] / m["E phi^2"] - sum((k * c for k, c in enumerate(c2)), arb(0))
        return tuple(c2), tail, tail1


def relu_c2(k: int) -> arb:
    """ReLU's normalised ``c_k^2``: ``1/pi, 1/2`` (k = 0, 1), ``((k-3)!!)^2/(pi k!)`` for even
    k >= 2, 0 for odd k >= 3 (``E[relu he_k] = E[delta^{(k-2)}(X)]/sqrt(k!)`` and
    ``|gamma^{(m)}(0)| = (m-1)!!/sqrt(2 pi)`` for even m)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"k must be an integer >= 0; got {k!r}")
    if k == 0:
        return 1 / arb.pi()
    if k == 1:
        return arb(1) / 2
    if k % 2:
        return arb(0)
    dfact = math.prod(range(k - 3, 0, -2))
    return arb(fmpq(dfact * dfact, math.factorial(k))) / arb.pi()


def relu_truncated_kappa_prime_one(terms: int, prec: int = PREC) -> arb:
    """``sum_{k < terms} k c_k^2`` for ReLU: kappa'(1) from a Hermite series cut after
    ``terms`` terms (k = 0..terms-1); its limit is 1."""
    if isinstance(terms, bool) or not isinstance(terms, int) or not 1 <= terms <= 100000:
        raise ValueError(f"terms must be an integer in [1, 100000]; got {terms!r}")
    with ctx.workprec(_check_prec(prec)):
        # c_{k+2}^2 / c_k^2 = (k - 1)^2 / ((k + 1)(k + 2)) for even k >= 2 (exact rationals)
        tot, q = Fraction(1, 2) if terms > 1 else Fraction(0), Fraction(1, 2)  # q = pi c_2^2
        over_pi = Fraction(0)
        for k in range(2, terms, 2):
            over_pi += k * q
            q = q * (k - 1) ** 2 / ((k + 1) * (k + 2))
        return (
            arb(fmpq(tot.numerator, tot.denominator))
            + arb(fmpq(over_pi.numerator, over_pi.denominator)) / arb.pi()
        )


# ------------------------------------------------------------------ the kernel and its derivative


def _series(name: str, rho: arb, K: int, prec: int, derivative: bool) -> arb:
    c2, tail, tail1 = hermite(name, K, prec)
    r = abs(rho).upper()
    if derivative:
        acc = arb(0)
        for k in range(len(c2) - 1, 0, -1):
            acc = acc * rho + k * c2[k]
        return acc + tail1.upper() * r**K * arb(0, 1)
    acc = arb(0)
    for c in reversed(c2):
        acc = acc * rho + c
    return acc + tail.upper() * r ** (K + 1) * arb(0, 1)


def kappa_ball(name: str, rho: Any, *, K: int = HERMITE_K, prec: int = PREC) -> arb:
    """A ball containing ``kappa_phi(rho) = E[phi(X) phi(Y)]/E[phi(X)^2]`` (corr rho): the
    closed form for ReLU ``(sqrt(1 - rho^2) + (pi - arccos rho) rho)/pi``, exp ``e^{rho-1}``,
    GELU :func:`gelu_kernel_unnormalised` ratio; else ``sum_{k<=K} c_k^2 rho^k`` plus the
    remainder ball ``[0 +/- (1 - sum c_k^2) |rho|^{K+1}]``.  ``rho`` in [-1, 1] (int, float,
    Fraction or arb)."""
    check_name(name)
    _check_prec(prec)
    with ctx.workprec(prec):
        b = to_ball(rho)
        if name in CLOSED_FORM:
            return _closed_kappa(name, b)
        return _series(name, b, K, prec, False)


def kappa_prime_ball(name: str, rho: Any, *, K: int = HERMITE_K, prec: int = PREC) -> arb:
    """A ball containing ``kappa_phi'(rho)``: ReLU ``1 - arccos(rho)/pi``, exp ``e^{rho-1}``,
    GELU the derivative of the closed form (Arb power series); else ``sum_{1<=k<=K} k c_k^2
    rho^{k-1}`` plus ``[0 +/- (kappa'(1) - sum k c_k^2) |rho|^K]``.  ``rho`` in [-1, 1]."""
    check_name(name)
    _check_prec(prec)
    with ctx.workprec(prec):
        b = to_ball(rho)
        if name in CLOSED_FORM:
            return _closed_kappa_prime(name, b)
        return _series(name, b, K, prec, True)


def kappa(name: str, rho: float) -> float:
    """``kappa_phi(rho)`` as a float: the midpoint of :func:`kappa_ball` (its radius bounds the
    error; < 1e-30 for the closed forms, the Hermite remainder otherwise)."""
    return float(kappa_ball(name, rho).mid())


def kappa_prime(name: str, rho: float) -> float:
    """``kappa_phi'(rho)`` as a float: the midpoint of :func:`kappa_prime_ball`."""
    return float(kappa_prime_ball(name, rho).mid())


def _one_minus_kappa_at(name: str, ub: arb, K: int, prec: int) -> arb:
    if name == "relu":
        theta = 2 * (ub / 2).sqrt().asin()
        return ub + (theta * (1 - ub) - (ub * (2 - ub)).sqrt()) / arb.pi()
    if name == "exp":
        return -((-ub).expm1())
    if name == "gelu":
        return 1 - _closed_kappa(name, 1 - ub)
    c2, _, tail1 = hermite(name, K, prec)
    # 1 - x^k = u sum_{i<k} x^i (x = 1 - u): sum_k c_k (1 - x^k) = u sum_j d_j x^j, d_j =
    # sum_{k>j} c_k, free of cancellation however small u is
    x = 1 - ub
    d, acc = arb(0), arb(0)
    tails = []
    for c in reversed(c2[1:]):
        d += c
        tails.append(d)
    for dj in tails:  # highest power first (Horner)
        acc = acc * x + dj
    t = tail1.upper() / 2
    return ub * (acc + t + t * arb(0, 1))


def one_minus_kappa(name: str, u: Any, *, K: int = HERMITE_K, prec: int = PREC) -> arb:
    """A ball containing ``1 - kappa_phi(1 - u)`` for u in [0, 2], with a relative error that
    stays small as u -> 0: ReLU ``u + (theta (1 - u) - sqrt(u (2 - u)))/pi``, ``theta = 2
    asin(sqrt(u/2)) = arccos(1 - u)``; exp ``-expm1(-u)``; GELU from the closed form; else
    ``u sum_j d_j (1 - u)^j`` (``d_j = sum_{j<k<=K} c_k^2``: ``1 - x^k = u sum_{i<k} x^i``)
    plus ``[0, u (kappa'(1) - sum k c_k^2)]`` (``0 <= 1 - rho^k <= k (1 - rho)`` on [-1, 1]).  A ball u of radius r is evaluated at its midpoint plus
    ``[+/- kappa'(1) r]`` (mean value form: the derivative in u is ``kappa'(1 - u)``, at most
    ``kappa'(1)`` in modulus on [-1, 1]), so radii grow by at most kappa'(1) per layer."""
    check_name(name)
    _check_prec(prec)
    with ctx.workprec(prec):
        ub = to_ball(u, "u", 0.0, 2.0)
        if ub.rad() == 0:
            return _one_minus_kappa_at(name, ub, K, prec)
        m = moments(name, prec)
        lip = (m["E phi'^2"] / m["E phi^2"]).upper()
        mid = arb(ub.mid())
        return _one_minus_kappa_at(name, mid, K, prec) + lip * ub.rad() * arb(0, 1)


# ------------------------------------------------------------------ Theorem 1's quantities


def case_of(name: str, prec: int = PREC) -> tuple[int, str]:
    """``(case, how it was decided)`` of Theorem 1 (main.tex: case 1 iff kappa(0) = 0; else
    2, 3, 4 as kappa'(1) <, =, > 1).  kappa(0) = 0 is exact for tanh (odd) and SELU (mean 0
    by definition); kappa'(1) = 1 is exact for ReLU (``E phi'^2 = P(X > 0) = 1/2 = E[X^2; X >
    0]``) and exp (``E e^{2X} = e^2`` both); every other comparison is decided by separated
    balls (``ValueError`` if they overlap)."""
    m = moments(check_name(name), prec)
    if name in ZERO_MEAN:
        return 1, "kappa(0) = 0 exactly (" + ("phi odd" if name == "tanh" else
                                              "SELU's alpha is defined by E phi = 0") + ")"  # fmt: skip
    if not m["E phi"] ** 2 > 0:
        raise ValueError(f"kappa(0) > 0 not certified for {name!r}")  # pragma: no cover
    if name in ("relu", "exp"):
        return 3, "kappa'(1) = 1 exactly (E phi'^2 = E phi^2 in closed form)"
    k1 = m["E phi'^2"] / m["E phi^2"]
    if k1 < 1:
        return 2, f"kappa'(1) = {k1.str(6)} < 1 (separated balls)"
    if k1 > 1:
        return 4, f"kappa'(1) = {k1.str(6)} > 1 (separated balls)"
    raise ValueError(f"kappa'(1) vs 1 not decided for {name!r}: {k1}")  # pragma: no cover


def fixed_point(name: str, *, K: int = HERMITE_K, prec: int = PREC) -> arb:
    """Case 4's fixed point rho* in (kappa(0), 1) as a ball: bisection on ``kappa(rho) - rho``
    at dyadic points, each sign certified by balls (f is convex with f(0) > 0 > f(1 - eps)
    near 1, since kappa'(1) > 1: one root in (0, 1)); stops at width 2^-60 or when a sign is
    not certified."""
    if case_of(name, prec)[0] != 4:
        raise ValueError(f"name must be an activation in case 4; got {name!r}")
    lo, hi = Fraction(0), Fraction(1)
    with ctx.workprec(prec):
        # hi: a dyadic point below 1 with f < 0 certified
        hi = Fraction(1) - Fraction(1, 1024)
        if not kappa_ball(name, hi, K=K, prec=prec) - arb(fmpq(hi.numerator, hi.denominator)) < 0:
            raise ValueError(f"no certified sign change below 1 for {name!r}")  # pragma: no cover
        while hi - lo > Fraction(1, 2**60):
            mid = (lo + hi) / 2
            f = kappa_ball(name, mid, K=K, prec=prec) - arb(fmpq(mid.numerator, mid.denominator))
            if f > 0:
                lo = mid
            elif f < 0:
                hi = mid
            else:
                break
        c = (lo + hi) / 2
        return arb(fmpq(c.numerator, c.denominator), float((hi - lo) / 2) * (1 + 2**-50))


def facts(name: str, *, K: int = HERMITE_K, prec: int = PREC) -> dict[str, Any]:
    """Table 1's quantities as balls: ``C = sqrt(E phi^2)``, ``kappa(0)``, ``kappa'(0)``,
    ``kappa'(1)``, ``case`` (and ``case decided by``), ``rho*``, ``kappa(rho*)``,
    ``kappa'(rho*)`` and Theorem 1's ``alpha`` for that case: ``1/(2 - kappa'(0))`` (1),
    ``kappa'(1)`` (2), ``1 - kappa(0) - kappa'(0)`` (3), ``max{1 - kappa(0), kappa'(rho*), (1 -
    rho*)/(2 - kappa'(rho*))}`` as printed (4; ``alpha corrected``: third term ``1/(2 -
    kappa'(rho*))``).  rho* is 0 in case 1 and 1 in cases 2, 3.  Cached; a fresh dict per call."""
    return dict(_facts(check_name(name), K, _check_prec(prec)))


@functools.lru_cache(maxsize=64)
def _facts(name: str, K: int, prec: int) -> dict[str, Any]:
    m = moments(check_name(name), prec)
    case, how = case_of(name, prec)
    with ctx.workprec(prec):
        k0 = m["E phi"] ** 2 / m["E phi^2"]
        d0 = m["E phi'"] ** 2 / m["E phi^2"]
        d1 = m["E phi'^2"] / m["E phi^2"]
        if case == 3:
            d1 = arb(1)  # exact (case_of)
        out: dict[str, Any] = {
            "C": m["E phi^2"].sqrt(),
            "kappa(0)": k0,
            "kappa'(0)": d0,
            "kappa'(1)": d1,
            "case": case,
            "case decided by": how,
        }
        if case == 1:
            rs, kps = arb(0), d0
            alpha = 1 / (2 - d0)
        elif case in (2, 3):
            rs, kps = arb(1), d1
            alpha = d1 if case == 2 else 1 - k0 - d0
        else:
            rs = fixed_point(name, K=K, prec=prec)
            kps = kappa_prime_ball(name, rs, K=K, prec=prec)
            alpha = (1 - k0).max(kps).max((1 - rs) / (2 - kps))
            out["alpha corrected"] = (1 - k0).max(kps).max(1 / (2 - kps))
        out.update({"rho*": rs, "kappa(rho*)": rs, "kappa'(rho*)": kps, "alpha": alpha})
        if case == 4:
            out["kappa(rho*)"] = kappa_ball(name, rs, K=K, prec=prec)
        return out


def orbit(name: str, rho0: Any, layers: int, *, K: int = HERMITE_K, prec: int = 192) -> list[arb]:
    """``[u_0, ..., u_layers]``, ``u_l = 1 - rho_l`` as balls, ``rho_{l+1} = kappa_phi(rho_l)``
    from ``rho0`` in [-1, 1] (exact for int, float, Fraction), by :func:`one_minus_kappa`."""
    check_name(name)
    if isinstance(layers, bool) or not isinstance(layers, int) or not 0 <= layers <= 200000:
        raise ValueError(f"layers must be an integer in [0, 200000]; got {layers!r}")
    with ctx.workprec(_check_prec(prec)):
        u = 1 - to_ball(rho0, "rho0")
        out = [u]
        for _ in range(layers):
            u = one_minus_kappa(name, u, K=K, prec=prec)
            out.append(u)
        return out


def orbit_coefficients(c2: Any, rho0: Any, layers: int, *, prec: int = 192) -> list[arb]:
    """:func:`orbit` for a kernel given by its coefficients ``c2`` (non-negative rationals,
    ``kappa(rho) = sum_k c2[k] rho^k``, ``sum c2 = 1``): ``1 - kappa(1 - u) = sum_k c2[k] (1 -
    (1 - u)^k)``, a ball u evaluated at its midpoint plus ``[+/- kappa'(1) r]``."""
    q = [Fraction(x) for x in c2]
    if not q or any(x < 0 for x in q) or sum(q) != 1:
        raise ValueError(f"c2 must be non-negative rationals summing to 1; got {c2!r}")
    if isinstance(layers, bool) or not isinstance(layers, int) or not 0 <= layers <= 200000:
        raise ValueError(f"layers must be an integer in [0, 200000]; got {layers!r}")
    with ctx.workprec(_check_prec(prec)):
        cb = [arb(fmpq(x.numerator, x.denominator)) for x in q]
        lip = arb(fmpq(*_num_den(sum(k * x for k, x in enumerate(q)))))

        def step(u: arb) -> arb:
            m = arb(u.mid())
            x, p, acc = 1 - m, arb(1), arb(0)
            for c in cb[1:]:
                p = p * x
                acc += c * (1 - p)
            return acc + lip * u.rad() * arb(0, 1) if u.rad() != 0 else acc

        u = 1 - to_ball(rho0, "rho0")
        out = [u]
        for _ in range(layers):
            u = step(u)
            out.append(u)
        return out


def _num_den(x: Fraction) -> tuple[int, int]:
    return x.numerator, x.denominator


#: Readings of Corollary 2's precision eps for float32 (name -> log2(1/eps)): the remark's
#: 2^-128, the unit round-off 2^-24 (the spacing just below 1 is 2^-24), the smallest normal
#: 2^-126 and the smallest subnormal 2^-149.
FLOAT32_READINGS: dict[str, int] = {
    "remark: 2^-128": 128,
    "unit round-off 2^-24": 24,
    "smallest normal 2^-126": 126,
    "smallest subnormal 2^-149": 149,
}


def corollary2_depth(kappa_prime_one: arb, eps_bits: int, u0: Any = 1) -> arb:
    """Corollary 2's depth ``L = ln(1/eps) / ln(1/kappa'(1))`` at ``eps = 2^-eps_bits``
    (``u0 = 1``, as printed) or the depth the case-2 bound gives from ``|rho_0 - 1| = u0``,
    ``ln(u0/eps) / ln(1/kappa'(1))`` (a ball; kappa'(1) in (0, 1))."""
    if isinstance(eps_bits, bool) or not isinstance(eps_bits, int) or not 1 <= eps_bits <= 4096:
        raise ValueError(f"eps_bits must be an integer in [1, 4096]; got {eps_bits!r}")
    if not (kappa_prime_one > 0 and kappa_prime_one < 1):
        raise ValueError(f"kappa_prime_one must lie in (0, 1); got {kappa_prime_one}")
    ub = to_ball(u0, "u0", 0.0, 2.0)
    if not ub > 0:
        raise ValueError(f"u0 must be positive; got {u0!r}")
    return (ub.log() + eps_bits * arb(2).log()) / (-kappa_prime_one.log())


def printed_interval(cell: str) -> tuple[Fraction, Fraction]:
    """The numbers a 2-decimal printed cell stands for: ``[p - 1/200, p + 1/200]``."""
    p = Fraction(cell)
    h = Fraction(1, 2 * 10 ** len(cell.split(".")[1])) if "." in cell else Fraction(1, 2)
    return p - h, p + h


__all__ = [
    "CLOSED_FORM",
    "FLOAT32_READINGS",
    "HERMITE_K",
    "NAMES",
    "TABLE_1_COLUMNS",
    "TABLE_1_MISMATCHES",
    "TABLE_1_ORDER",
    "TABLE_1_PRINTED",
    "case_of",
    "check_name",
    "corollary2_depth",
    "facts",
    "fixed_point",
    "gelu_kernel_unnormalised",
    "hermite",
    "kappa",
    "kappa_ball",
    "kappa_prime",
    "kappa_prime_ball",
    "moments",
    "one_minus_kappa",
    "orbit",
    "orbit_coefficients",
    "printed_interval",
    "quadrature_moments",
    "relu_c2",
    "relu_truncated_kappa_prime_one",
    "selu_constants",
    "to_ball",
]
