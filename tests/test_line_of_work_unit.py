"""Unit tests of the line of work (issue 19): theory.gap.soft_rank / isometry against closed
forms, theory.kernel_map against exact rationals, and the certificates of
theory.certify.lineofwork (outcomes, planted variants, the recorded counterexample)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theory import gap
from theory import kernel_map as K
from theory.certify import CERTIFIED, NOT_CERTIFIED, REFUTED
from theory.certify import lineofwork as L

# ------------------------------------------------------------------ soft rank


def _with_spectrum(d: int, s: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((d, s.size)))
    v, _ = np.linalg.qr(rng.standard_normal((s.size, s.size)))
    return u * s @ v.T


@pytest.mark.parametrize("n", [1, 2, 5, 16])
def test_soft_rank_closed_forms(n):
    Q, _ = np.linalg.qr(np.random.default_rng(n).standard_normal((3 * n, n)))
    assert gap.soft_rank(7.0 * Q) == pytest.approx(n, rel=1e-13)  # orthogonal, equal norms
    u = np.random.default_rng(1).standard_normal((10, 1))
    rank_one = u @ np.random.default_rng(2).standard_normal((1, n))
    assert gap.soft_rank(rank_one) == pytest.approx(1.0, rel=1e-13)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 8),
    seed=st.integers(0, 2**31),
    scale=st.floats(-8, 8).map(lambda e: 10.0**e),
)
def test_soft_rank_is_the_spectral_formula_and_the_gap_identity(n, seed, scale):
    s = np.exp(np.random.default_rng(seed).uniform(-3, 0, n))
    H = scale * _with_spectrum(2 * n, s, seed)
    r = float(gap.soft_rank(H))
    assert r == pytest.approx(np.sum(s**2) ** 2 / np.sum(s**4), rel=1e-10)
    V = float(gap.orthogonality_gap(H))
    assert r == pytest.approx(1 / (V * V + 1 / n), rel=1e-12)
    assert 1 - 1e-12 <= r <= n + 1e-12


def test_soft_rank_rejects_bad_input():
    with pytest.raises(ValueError, match="nonzero"):
        gap.soft_rank(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="finite"):
        gap.soft_rank(np.array([[1.0, np.nan]]))


# ------------------------------------------------------------------ isometry


def test_isometry_closed_forms():
    assert gap.isometry(3.0 * np.eye(4)) == pytest.approx(1.0, rel=1e-15)
    a = np.array([1.0, 2.0, 4.0, 8.0])
    # eigenvalues a: GM / AM
    assert gap.isometry(np.diag(a)) == pytest.approx(8**0.5 / (15 / 4), rel=1e-14)
    assert gap.neg_log_isometry(np.diag(a)) == pytest.approx(
        math.log(15 / 4) - math.log(64) / 4, rel=1e-14
    )
    assert gap.isometry(np.ones((3, 3))) == 0.0  # singular
    assert gap.neg_log_isometry(np.ones((3, 3))) == math.inf
    with pytest.raises(ValueError, match="square"):
        gap.isometry(np.ones((3, 2)))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 8), seed=st.integers(0, 2**31))
def test_isometry_normalisation_identity_in_float(n, seed):
    H = np.random.default_rng(seed).standard_normal((n + 3, n)) * np.exp(
        np.random.default_rng(seed + 1).uniform(-2, 2, n)
    )
    G = H.T @ H
    g = np.diag(G)
    N = G / np.sqrt(np.outer(g, g))
    amgm = g.mean() / math.exp(np.log(g).mean())
    assert float(gap.isometry(N)) == pytest.approx(float(gap.isometry(G)) * amgm, rel=1e-9)
    assert float(gap.isometry(N)) >= float(gap.isometry(G)) * (1 - 1e-12)
    assert float(gap.isometry(G)) == pytest.approx(
        np.linalg.det(G) ** (1 / n) / (np.trace(G) / n), rel=1e-9
    )


# ------------------------------------------------------------------ kernel map


def test_kernel_map_example_exactly():
    c2 = K.coefficients([3, 3, 4])
    assert c2 == (0.3, 0.3, 0.4) and K.regime(c2) == 4
    rs, err = K.fixed_point(c2)
    assert abs(rs - 0.75) <= err < 1e-12
    assert K.rate_printed(c2, 0.75) == pytest.approx(0.9, abs=1e-15)
    assert K.rate_corrected(c2, 0.75) == pytest.approx(10 / 11, abs=1e-15)
    facts = L.example_facts()
    assert facts["kappa(rho*) - rho*"] == 0 and facts["kappa'(1)"] == Fraction(11, 10)
    assert facts["alpha printed"] == Fraction(9, 10)
    assert facts["alpha corrected"] == Fraction(10, 11)
    assert facts["kappa - id == (2/5)(rho - 3/4)(rho - 1)"]


def test_regimes_of_theorem_1():
    assert K.regime(K.coefficients([0, 1, 1])) == 1
    assert K.regime(K.coefficients([2, 2, 1])) == 2  # kappa'(1) = 4/5
    assert K.regime(K.coefficients([1, 0, 1])) == 3  # kappa'(1) = 1
    assert K.regime(K.coefficients([3, 3, 4])) == 4
    with pytest.raises(ValueError, match="case 4"):
        K.fixed_point(K.coefficients([2, 2, 1]))
    with pytest.raises(ValueError, match="non-negative"):
        K.coefficients([1, -1])


@pytest.mark.parametrize("rho0", [1 - 2.0**-30, -1 + 2.0**-20, -0.3, 0.2])
def test_trajectory_error_bound_covers_the_exact_orbit(rho0):
    from flint import arb, ctx

    w = [2, 1, 0, 3, 1]
    rho, err = K.trajectory(K.coefficients(w), rho0, 300)
    with ctx.workprec(256):
        c2 = [arb(x) / sum(w) for x in w]
        x = arb(rho0)
        for l in range(1, 301):
            acc = arb(0)
            for c in reversed(c2):
                acc = acc * x + c
            x = acc
            if math.isfinite(err[l]):
                assert abs(x - rho[l]).upper() <= err[l], (l, err[l])


def test_scan_reproduces_the_recorded_first_failing_layers():
    c2 = K.coefficients([3, 3, 4])
    for e, first in L.RECORDED_FIRST.items():
        r0 = 1 - 10.0**-e
        res = K.scan_case4(c2, r0, K.escape_layers(c2, r0), which="printed")
        assert res["first"] == first
        cor = K.scan_case4(c2, r0, K.escape_layers(c2, r0), which="corrected")
        assert cor["first"] is None and 0.17 < cor["worst"] < 0.19


# ------------------------------------------------------------------ certificates


def test_soft_rank_certificates():
    for n in (1, 2, 5):
        assert L.certify_soft_rank_symbolic(n).outcome == CERTIFIED
        assert L.certify_soft_rank_symbolic(n, "one-over-V2").outcome == REFUTED
    assert L.certify_soft_rank_symbolic(1, "one-over-n2").outcome == CERTIFIED  # true at n = 1
    assert L.certify_soft_rank_symbolic(3, "one-over-n2").outcome == REFUTED
    H = [[0.1, 2.5, -1.0], [3.0, 1e-3, 0.0]]  # d < n, float entries (exact rationals)
    assert L.certify_soft_rank_at(H).outcome == CERTIFIED
    assert L.certify_soft_rank_at(H, "one-over-n2").outcome == REFUTED


def test_isometry_certificates():
    M = [[4, 1, 0], [1, 2, 1], [0, 1, 9]]
    assert L.certify_isometry_identity(M).outcome == CERTIFIED
    assert L.certify_isometry_identity(M, "gm/am").outcome == REFUTED
    assert L.certify_isometry_increase(M).outcome == CERTIFIED
    assert L.certify_isometry_increase(M, "decreases").outcome == REFUTED
    # a constant diagonal: I(N) = I(M) exactly, so strict increase cannot be certified
    assert L.certify_isometry_increase([[2, 1], [1, 2]]).outcome == NOT_CERTIFIED
    with pytest.raises(ValueError, match="positive definite"):
        L.certify_isometry_identity([[1, 1], [1, 1]])


def test_case4_certificates():
    c = L.certify_case4(8, "printed")
    assert c.outcome == CERTIFIED and c.details["deciding layer"] == 186
    assert 1.0039 < c.details["ratio (float)"] < 1.0040
    assert c.lhs.startswith("[0.0774042") and c.rhs.startswith("[0.0770986")
    early = L.certify_case4(8, "printed", claimed_first=185)
    assert early.outcome == REFUTED and 0.96 < early.details["ratio (float)"] < 0.97
    cor = L.certify_case4(8, "corrected", max_layers=400)
    assert cor.outcome == CERTIFIED and 0.1816 < cor.details["max ratio (float)"] < 0.1817
    assert L.certify_case4(6, "printed", max_layers=400).outcome == REFUTED  # holds from 1 - 1e-6


# ------------------------------------------------------------------ Table 1, cases 2, 3, Corollary 2


def test_table1_certificates():
    cs = L.certify_table1()
    assert len(cs) == 63 and all(c.outcome == CERTIFIED for c in cs)
    differ = {(c.details["activation"], c.details["column"]) for c in cs if "differs" in c.claim}
    assert differ == L.TABLE_1_MISMATCHES
    # the recorded verdict is what is certified: the opposite claim is refuted
    assert L.certify_table1_cell("relu", "kappa'(1)", claim="match").outcome == REFUTED
    assert L.certify_table1_cell("sigmoid", "kappa(0)", claim="differ").outcome == REFUTED
    assert L.certify_table1_cell("sigmoid", "kappa(0)", printed="0.84").outcome == REFUTED
    assert L.certify_truncation("relu", 25, "0.95").outcome == CERTIFIED
    assert L.certify_truncation("relu", 26, "0.95").outcome == CERTIFIED  # odd k: c_k = 0
    assert L.certify_truncation("relu", 200, "0.95").outcome == REFUTED
    assert L.certify_truncation("selu", 25, "1.06").outcome == CERTIFIED
    with pytest.raises(ValueError, match="column"):
        L.certify_table1_cell("relu", "beta")


def test_relu_case2_and_case3_certificates():
    assert L.certify_relu_kappa_prime_one().outcome == CERTIFIED
    assert L.certify_relu_kappa_prime_one(L.RELU_PRINTED_ALPHA).outcome == REFUTED
    c = L.certify_relu_case2(Fraction(1, 2))
    assert c.outcome == CERTIFIED and c.details["deciding layer"] == 96
    assert 1.020 < c.details["ratio (float)"] < 1.021
    assert 0.987 < c.details["ratio one layer earlier (float)"] < 0.988
    assert L.certify_relu_case2(Fraction(1, 2), claimed_first=95).outcome == REFUTED
    assert L.certify_relu_case2(Fraction(1, 2), max_layers=50).outcome == REFUTED  # holds to 50
    c3 = L.certify_case3("relu", Fraction(1, 2), max_layers=300)
    assert c3.outcome == CERTIFIED and 0.8530 < c3.details["max ratio (float)"] < 0.8531
    assert c3.details["layer of max ratio"] == 1
    near = L.certify_case3("relu", 1 - Fraction(1, 2**20), max_layers=50)
    assert near.outcome == CERTIFIED and near.details["max ratio (float)"] > 0.9997
    bad = L.certify_case3("relu", Fraction(1, 2), alpha=Fraction(682, 1000), max_layers=5)
    assert bad.outcome == REFUTED and bad.details["first layer exceeded (separated balls)"] == 1


def test_corollary2_certificates():
    for n in L.COR2_RECORDED:
        assert L.certify_corollary2_condition(n).outcome == CERTIFIED, n
        assert L.certify_corollary2_condition(n, "<").outcome == (
            CERTIFIED if n == "sigmoid" else REFUTED
        )
    p = L.certify_corollary2_depth("printed")
    assert p.outcome == CERTIFIED and p.details["layer"] == 9 and p.id == L.ID_COR2_DEPTH_PRINTED
    assert L.certify_corollary2_depth("printed", rho0=Fraction(1, 2)).outcome == REFUTED
    c = L.certify_corollary2_depth("corrected")
    assert c.outcome == CERTIFIED and c.details["layer"] == 10
    assert L.certify_corollary2_depth("corrected", layer=9).outcome == REFUTED
    assert L.certify_corollary2_depth("printed", eps_bits=149).details["layer"] == 55
    with pytest.raises(ValueError, match="which"):
        L.certify_corollary2_depth("both")


def test_corollary2_depth_at_an_exact_tie_of_the_2_to_24_depth():
    """kappa(rho) = (1 + rho)/2 from rho_0 = -4.9e-28: u_l = u_0 2^-l, so 1 - rho first drops
    to 2^-24 at layer 25 (u_24 exceeds 2^-24 by 3e-35); the depth's ball sits on 24.  Found
    by a thorough Hypothesis search, where the orbit stopped one layer short."""
    from theory.checks.line_of_work import corollary2_depth_check
    from theory.engine import RunContext

    case = {"kernel": [1, 1], "rho0": -4.861675876016905e-28, "eps_bits": 8}
    rows = corollary2_depth_check(RunContext.create(), case)
    assert rows[0].extra["first layer with 1 - rho_l <= 2^-24 from this rho_0"] == 25
    assert rows[0].verdict == "pass"


def test_a_check_that_computes_in_numpy_says_so_under_backend_torch():
    """The line-of-work checks compute in NumPy (or balls) whatever the suite's backend: under
    a torch context their rows say numpy, and they still land in the context's row log."""
    import pytest

    import theory
    from theory.engine import RunContext

    if not theory.torch_available():
        pytest.skip("needs PyTorch")
    ctx = RunContext.create("ci", "torch")
    s = theory.STATEMENTS["rank-collapse-2020/soft-rank-identity"]
    rows = ctx.run(s, s.example)
    assert rows and {(r.backend, r.dtype, r.device) for r in rows} == {("numpy", "float64", "cpu")}
    assert len(ctx.log.rows) >= len(rows)
