"""Unit tests of theory.batch_kernel (the infinite-width map of the 2021 BN chain with an
activation, batch n fixed), its certificates and the pieces of the App. F checks."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from flint import arb

from theory import batch_kernel as B
from theory.certify import appf as CA
from theory.chain import simulate
from theory.checks import line_of_work_appf as K
from theory.statements import line_of_work_appf as S


def _mc_pairs(rho: float, n: int, m: int = 400_000, seed: int = 0) -> tuple[float, float, float]:
    """Monte Carlo of (n E[u1 u2], 2n E[relu u1 relu u2], its standard error), u = z/||z||."""
    rng = np.random.default_rng(seed)
    S_ = (1 - rho) * np.eye(n) + rho
    z = rng.standard_normal((m, n)) @ np.linalg.cholesky(S_).T
    u = z / np.linalg.norm(z, axis=1, keepdims=True)
    f = 2 * n * np.maximum(u[:, 0], 0) * np.maximum(u[:, 1], 0)
    return float(n * np.mean(u[:, 0] * u[:, 1])), float(f.mean()), float(f.std() / math.sqrt(m))


def test_integrals_at_rho_zero_closed_form():
    # isotropic z: u uniform on the sphere, E u1 u2 = 0 and F(0) = kappa_ReLU(0) = 1/pi
    for n in (2, 3, 4, 7):
        v = B.relu_integrals(0, n)
        assert v["E u1 u2"].contains(0)
        assert (2 * n * v["E relu u1 relu u2"]).overlaps(1 / arb.pi())
        assert v["E u1 u2"].rad() < 1e-12


def test_cosine_n2_closed_form():
    # n = 2: with a ~ N(0, 1 + rho), b ~ N(0, 1 - rho) along (1, +-1)/sqrt 2,
    # E[(a^2 - b^2)/(a^2 + b^2)] = (s_a - s_b)/(s_a + s_b), so R = that
    for rho in (-0.6, 0.1, 0.5, 0.9):
        sa, sb = math.sqrt(1 + rho), math.sqrt(1 - rho)
        assert B.cosine_of(rho, 2).overlaps(arb((sa - sb) / (sa + sb), 1e-15))


def test_map_against_monte_carlo():
    for rho, n in ((0.5, 4), (0.2, 3), (-0.2, 5)):
        R, F, se = _mc_pairs(rho, n)
        assert abs(float(B.cosine_of(rho, n).mid()) - R) < 0.01
        assert abs(B.relu_map_float(rho, n) - F) < 5 * se


def test_derivative_jets_against_differences():
    h = 1e-6
    for rho in (0.1, 0.48):
        d = B.relu_integrals(rho, 4, derivative=True)
        for k in ("E u1 u2", "E relu u1 relu u2"):
            fd = (
                float(B.relu_integrals(rho + h, 4)[k].mid())
                - float(B.relu_integrals(rho - h, 4)[k].mid())
            ) / (2 * h)
            assert abs(float(d[k].mid()) - fd) < 1e-6


def test_fixed_point_certified_and_attracting():
    rs, how = B.relu_fixed_point(4)
    assert rs.rad() < 1e-12 and abs(float(rs.mid()) - 0.479674815455) < 1e-10
    assert how["F(lo) - lo"] > 0 and how["F(hi) - hi"] < 0
    assert 0 < how["F'(rho*)"] < 1
    assert abs(B.relu_map_float(float(rs.mid())) - float(rs.mid())) < 1e-12
    assert abs(float(B.limit_cosine("relu", "bn").mid()) - 0.290566928138) < 1e-10


def test_orbit_and_trap():
    orb = B.relu_orbit(4, 6)
    assert orb[0].overlaps(1 / arb.pi())
    assert all(a < b for a, b in zip(orb, orb[1:]))  # increasing towards rho*
    assert all(o.rad() < 1e-12 for o in orb)
    tr = B.relu_trap(4, 9)
    assert tr["cosine"].overlaps(B.limit_cosine("relu", "bn")) and tr["cosine"].rad() < 1e-4
    with pytest.raises(ValueError, match="start"):
        B.relu_trap(4, 0)
    c = B.limit_cosines("relu", "bn", 4, 3)
    assert c[0] == 0 and c[1].overlaps(B.cosine_of(1 / math.pi, 4))


def test_exact_limits_and_gap():
    for act in ("relu", "tanh", "sin", "linear"):
        c = B.limit_cosine(act, "bn-centered", 4)
        assert c.overlaps(arb(-1) / 3) and c.rad() < 1e-15
        w = B.window_cosine(act, "bn-centered", 5, 3)
        assert w.overlaps(arb(-1) / 4) and w.rad() < 1e-15
    for act in ("tanh", "sin", "linear"):
        assert B.limit_cosine(act, "bn") == 0
    assert abs(B.gap_of_cosine(-1 / 3, 4) - 1 / math.sqrt(12)) < 1e-15
    assert B.gap_of_cosine(arb(-1) / 3, 4).overlaps(1 / arb(12).sqrt())
    # V of the exchangeable trace-1 Gram, directly
    n, c = 4, 0.29
    G = ((1 - c) * np.eye(n) + c) / n
    assert abs(np.linalg.norm(G - np.eye(n) / n) - B.gap_of_cosine(c, n)) < 1e-15


def test_centred_chain_gram_identity():
    # centred BN: every row of H sums to 0, so sum_{i != j} G_ij = -tr G (the mean-field c* =
    # -1/(n - 1) holds for the Gram's mean correlation at every width)
    r = simulate(np.random.default_rng(0).standard_normal((16, 4)), 5, runs=3, seed=1,
                 variant="bn-centered", activation="tanh", activation_scale="rows",
                 record=("gram",))  # fmt: skip
    G = r.gram[:, 1:]
    off = G.sum(axis=(-2, -1)) - np.einsum("...ii->...", G)
    assert np.allclose(off, -1.0, atol=1e-12)


def test_sin_kernel_and_aistats_fixed_points():
    # E[sin X sin Y] = e^-1 sinh(rho): Gauss-Hermite in 2D
    x, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    rho = 0.4
    X, Y = np.meshgrid(x, x, indexing="ij")
    W = np.outer(w, w)
    val = np.sum(W * np.sin(X) * np.sin(rho * X + math.sqrt(1 - rho**2) * Y))
    assert abs(val - math.exp(-1) * math.sinh(rho)) < 1e-12
    assert B.sin_kappa_ball(rho).overlaps(arb(math.sinh(rho) / math.sinh(1), 1e-15))
    assert B.aistats_fixed_point("relu")["rho*"] == 1
    assert B.aistats_fixed_point("relu")["case"] == 3
    assert B.aistats_fixed_point("relu", centred=True)["rho*"] == 0
    for act in ("tanh", "sin"):
        f = B.aistats_fixed_point(act)
        assert f["rho*"] == 0 and f["case"] == 1 and f["kappa'(0)"] < 1


def test_bad_input():
    with pytest.raises(ValueError, match="n must"):
        B.relu_integrals(0.1, 1)
    with pytest.raises(ValueError, match="rho must"):
        B.relu_integrals(1.0, 4)
    with pytest.raises(ValueError, match="rho must"):
        B.cosine_of(-0.5, 4)  # below -1/(n - 1)
    with pytest.raises(ValueError, match="rho must"):
        B.relu_map(float("nan"))
    with pytest.raises(ValueError, match="activation must"):
        B.limit_cosine("gelu", "bn")
    with pytest.raises(ValueError, match="variant must"):
        B.limit_cosine("relu", "vanilla")
    with pytest.raises(ValueError, match="burn must"):
        B.window_cosine("relu", "bn", 4, 0)
    with pytest.raises(ValueError, match="layers must"):
        B.relu_orbit(4, -1)


def test_certificates():
    assert CA.certify_relu_fixed_point(4).outcome == "certified"
    assert CA.certify_trap("relu", "bn", 4, 10).outcome == "certified"
    assert CA.certify_trap("sin", "bn-centered", 4, 10).outcome == "certified"
    assert CA.certify_shifted_fixed_point(4).outcome == "refuted"
    assert CA.certify_limit_differs("relu", "bn", 1.0, "aistats-limit").outcome == "refuted"
    # a planted value equal to c* cannot be refuted: no verdict
    same = CA.certify_limit_differs("tanh", "bn-centered", -1 / 3, "other-centring")
    assert same.outcome == "not certified"


def test_record_candidates_and_tolerances():
    assert S.controls_for("relu", "bn") == ("aistats-limit", "other-centring", "linear-chain-limit")
    assert S.controls_for("tanh", "bn") == ("other-centring",)  # AISTATS agrees: 0
    assert S.controls_for("sin", "bn-centered") == ("aistats-limit",)
    assert abs(S.limit_tolerance(S.chain_limit("relu", "bn"), "relu", "bn") - 0.14528346) < 1e-6
    assert abs(S.limit_tolerance(-1 / 3, "tanh", "bn-centered") - 1 / 6) < 1e-12
    assert S.shrink_factor(8, 32) == 0.5


def test_window_stats_and_shrink_verdict():
    n = 3
    G = np.tile(((1 - 0.5) * np.eye(n) + 0.5) / n, (2, 4, 1, 1))
    G[1, 0] = np.diag([0.5, 0.5, 0.0])  # a dead column: its cosines count as 0
    c, V, dead = K.window_stats(G)
    assert dead == 1 and abs(c[0] - 0.5) < 1e-15 and abs(c[1] - 0.375) < 1e-15
    assert abs(V[0] - 0.5 * math.sqrt(2 / 3)) < 1e-15
    assert K.shrink_verdict((0.02, 0.03), (0.001, 0.009), 0.5) == ("pass", pytest.approx(0.001))
    assert K.shrink_verdict((0.02, 0.03), (0.016, 0.02), 0.5)[0] == "fail"
    assert K.shrink_verdict((-0.01, 0.03), (0.001, 0.004), 0.5)[0] == "inconclusive"
    assert K._abs_interval(-0.2, 0.1) == (0.0, 0.2)


def test_check_bad_case():
    from theory.engine import RunContext

    ctx = RunContext.create()
    with pytest.raises(ValueError, match="activation must"):
        K.limit_check(ctx, {"activation": "linear", "variant": "bn"})
    with pytest.raises(ValueError, match="ds must"):
        K.finite_width_check(ctx, {"activation": "relu", "variant": "bn", "ds": [32]})
    with pytest.raises(KeyError):
        K.finite_width_check(
            ctx, {"activation": "relu", "variant": "bn", "ds": [32, 64], "controls": ["nope"]}
        )


def test_fraction_input():
    assert B.relu_map(Fraction(1, 2), 4).overlaps(B.relu_map(0.5, 4))
