"""The paper in its line of work (issue 19), NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann,
Lucchi, "Batch normalization provably avoids rank collapse for randomly initialised deep
networks"; code: github.com/jonaskohler/Batchnorm_prevents_rank_collpase): Theorem 2, the
residual-weight BN chain ``H_{l+1} = BN((I + gamma W_l) H_l)`` at batch size = width (n = d)
keeps the depth-averaged soft rank ``r = tr(M)^2/||M||_F^2`` (M = H^T H) at Omega(sqrt d).

* ``average-soft-rank``: the depth average of E r(H_l) is >= c sqrt(d) on a grid of d, in two
  readings (the issue's and the repository's), with the vanilla chain (no BN) as the control
  where the rank collapses;
* ``exponent``: the exponent of E r in d, a log-log fit over the grid (info, bootstrap), beside
  the theorem's 1/2 and the issue's 0.556; the controls "linear in d" and "bounded in d" are
  refuted by the finite-sample two-point exponent.

Checks: :mod:`theory.checks.line_of_work_2020`; the chain: :mod:`theory.residual`.
"""

from __future__ import annotations

import math

from ..engine import NegativeControl, Statement, register
from .line_of_work import BEARS_ON, GROUP_2020, PAPER_2020

REPO = "github.com/jonaskohler/Batchnorm_prevents_rank_collpase (commit 62348a6)"

#: the two readings: weights, gamma, depth window (burn-in, layers, recorded every)
READINGS: dict[str, dict[str, object]] = {
    # issue 19: W N(0, 1/d), average over l = 1..L from H_0 = I (gamma = 1 reproduces the
    # issue's quick run: E r ~ 0.8-0.92 sqrt(d), exponent ~0.56)
    "issue": {"weight_scale": "1/d", "gamma": 1.0, "burn_in": 0, "depth": 200, "every": 1},
    # the repository's Fig. 3a (code_fig_3_a.ipynb): W = randn(d, d) (N(0, 1)), gamma = 0.01,
    # M_0 = I, burn-in ('setoff') 1000; it runs 10^6 layers recorded every 10^4, here 5000
    # layers recorded every 50
    "repo": {"weight_scale": "unit", "gamma": 0.01, "burn_in": 1000, "depth": 5000, "every": 50},
}
#: the constant c of "depth average >= c sqrt(d)" exhibited for both readings (the measured
#: ratios are >= 0.79: see the record's extra)
C_SQRT = 0.75
#: the planted "no rank loss at all" control: the average stays >= 0.9 n
NEAR_FULL = 0.9
#: the exponent the issue's quick run measured, and the theorem's
ISSUE_EXPONENT = 0.556
THEOREM_EXPONENT = 0.5

_SETTING = (
    "Setting read from the repository (" + REPO + "), code_fig_3_a.ipynb, the Theorem 2 "
    "simulation (theorem2.png, the theorem's statement, is an image not read here): a linear "
    "network (no activation), weights Wh = I + gamma W with W = np.random.randn(d, d) (entries "
    "N(0, 1), fresh each layer) and gamma = 0.01, BN without centring applied to the feature "
    "Gram M = H H^T (M <- D^{-1/2} Wh M Wh^T D^{-1/2}, D = diag: each feature to unit norm), "
    "M_0 = I (n = d, orthogonal start: r(H_0) = d), L = 10^6 layers, burn-in ('setoff') 1000, "
    "recorded every 10^4 layers; it collects the soft rank trace(M)^2/||M||_F^2 "
    "('lower_bounds_1') but plots the mean matrix rank against sqrt(d) for d = 8..256.  The "
    "soft rank of the feature Gram equals that of the sample Gram H^T H (same nonzero "
    "spectrum).  Other figures differ: Fig. 2 (code_fig_2.ipynb) uses W uniform with unit "
    "variance and centred BN, Fig. 1 trains networks with ReLU and centred BN."
)

_READINGS = (
    "Two readings.  (issue) issue 19: W with N(0, 1/d) entries, the depth average over l = "
    "1..200 from H_0 = I; gamma = 1 (in these units ||gamma W|| ~ 2), which reproduces the "
    "issue's quick run (E r ~ 0.8-0.92 sqrt(d), exponent ~0.56).  (repo) the repository's "
    "chain: W with N(0, 1) entries, gamma = 0.01 (= 0.01 sqrt(d) in the issue's units: a "
    "smaller step), burn-in 1000 layers, then 5000 layers recorded every 50 (the repository "
    "runs 10^6 recorded every 10^4: out of reach for a Monte Carlo of hundreds of chains on 2 "
    "cores).  In both the statement is about the per-run depth average X = mean_k r(H_{l_k}) in "
    "[1, n]: E X >= c sqrt(d) with c = 0.75 exhibited (Theorem 2 states Omega(sqrt d), an "
    "unnamed constant)."
)


def c_sqrt_d(d: int) -> float:
    """``c sqrt(d)`` with the exhibited ``c = 0.75``: the lower bound on the depth average."""
    return C_SQRT * math.sqrt(d)


def near_full_rank(d: int) -> float:
    """``0.9 n`` (n = d): the planted "no rank loss" bound."""
    return NEAR_FULL * d


AVERAGE_SOFT_RANK = register(
    Statement(
        id="rank-collapse-2020/average-soft-rank",
        title="Residual weights I + gamma W, n = d: BN keeps the depth-averaged soft rank at "
        "Omega(sqrt d): E mean_l r(H_l) >= 0.75 sqrt(d); without BN it collapses",
        formula="H_{l+1} = BN((I + gamma W_l) H_l), r(H) = tr(H^T H)^2/||H^T H||_F^2:  "
        "E[(1/K) sum_k r(H_{l_k})] >= c sqrt(d),  c = 0.75",
        source=f"{PAPER_2020}, Theorem 2 (as issue 19 states it); {REPO}, code_fig_3_a.ipynb",
        hypotheses={
            "n": "= d (batch size = width)",
            "d": "4, 8, 16, 32 (ci); up to 64 (thorough) for the issue's reading; 4, 8 (ci), "
            "4, 8, 16 (thorough) for the repository's",
            "H_0": "the identity (M_0 = I, as the repository)",
            "weights": "reading 'issue': N(0, 1/d), gamma = 1, layers 1..200; reading 'repo': "
            "N(0, 1), gamma = 0.01, layers 1050..6000 every 50 (after a burn-in of 1000)",
        },
        kind="lower",
        bound=c_sqrt_d,
        resolution=(
            _SETTING,
            _READINGS,
            "Verdict: X in [1, n] per run (n independent chains), the engine samples until "
            "decided (rows_until_decided); finite-sample interval (Hoeffding / empirical "
            "Bernstein / betting) at delta per end; pass iff its lower end >= 0.75 sqrt(d).  "
            "Edge control: 'E X >= estimate / 0.8' must be refuted.",
            "Depth window: the issue's reading averages from l = 1, where r(H_0) = d, so the "
            "transient inflates the average at large d (gamma = 1: 0.94 sqrt(d) over l = "
            "1..200 at d = 32, 0.89 sqrt(d) over l = 101..200; the second half's average and "
            "the last layer's mean are in each row's extra).  The repository's reading starts "
            "after its burn-in of 1000, which at gamma = 0.01 with unit weights (0.01 sqrt(d) "
            "in the issue's units, a relaxation over thousands of layers) is not stationary "
            "either: its average is 1.20, 1.14, 1.08 sqrt(d) at d = 4, 8, 16, its last "
            "recorded layer 1.10, 1.01, 0.97 sqrt(d), still falling towards the small-gamma "
            "stationary level (~0.93 sqrt(d) in a pilot at gamma = 0.25, issue units, 800 "
            "layers, d = 4..32).  Both readings are lower bounds on a window that starts "
            "above the stationary level; the repository's 10^6 layers are out of reach.",
            "Measured (thorough profile; finite-sample intervals at delta = 2e-6 per end): "
            "issue reading E X / sqrt(d) = 0.80 [0.75, 0.98], 0.84 [0.81, 0.97], 0.89 [0.84, "
            "1.09], 0.94 [0.91, 1.11], 1.01 [0.98, 1.26] at d = 4, 8, 16, 32, 64; repository "
            "reading 1.20 [1.09, 1.33], 1.14 [1.01, 1.40], 1.08 [1.02, 1.27] at d = 4, 8, 16.  "
            "So c = 0.75 holds on the grid, binding at d = 4 in the issue's reading (the "
            "smallest c the data support there is ~0.75, the interval's lower end); the per-d "
            "ratios with their intervals are in each row's extra.",
            "Vanilla control (no BN), issue reading: the same chain without normalisation "
            "collapses, E X / sqrt(d) = 0.51, 0.39, 0.32, 0.30, 0.32 at d = 4..64 (E X = 1.03 "
            "at d = 4: r -> 1), so 'E X >= 0.75 sqrt(d)' is refuted for it at every d.  Not "
            "judged in the repository's reading: with its small step the vanilla collapse "
            "takes ~10^4 layers (Lyapunov gaps ~gamma_eff^2/d = 10^-4 per layer); over layers "
            "1100..11000 its average was 0.72 sqrt(d) at d = 4 ([0.70, 0.77]: not refuted "
            "against 0.75), 0.56 at d = 8, and above 0.75 sqrt(d) over this window.",
        ),
        negative_controls=(
            NegativeControl(
                id="vanilla",
                description="the vanilla chain (no BN), same weights: E X >= 0.75 sqrt(d)",
                why_false="without normalisation the product of the I + gamma W_l has "
                "separating Lyapunov exponents (gaps ~gamma^2/d per layer), so H_l tends to "
                "rank one and r(H_l) -> 1: measured E X = 0.51 sqrt(d) at d = 4 and 0.30 "
                "sqrt(d) at d = 32 (issue reading).",
                bound=c_sqrt_d,
                strength="planted",
            ),
            NegativeControl(
                id="near-full-rank",
                description="BN keeps the soft rank near full: E X >= 0.9 n",
                why_false="the stationary soft rank is ~sqrt(d), not ~d: measured E X = 1.6 "
                "at d = 4 (0.4 n) and 5.3 at d = 32 (0.17 n).",
                bound=near_full_rank,
                strength="planted",
            ),
        ),
        group=GROUP_2020,
        extra={
            BEARS_ON: "Theorem 1 and Eq. 2 (claims 'theorem-1/scaling', 'figure-1'): with r = "
            "1/(V^2 + 1/n) (record 'rank-collapse-2020/soft-rank-identity'), r >= c sqrt(n) "
            "is V^2 <= 1/(c sqrt n) - 1/n, a gap bounded away from its maximum; the 2021 "
            "paper's floor V = O(sqrt(n/d)) is the stronger statement r -> n at d >> n",
            "readings": READINGS,
            "measured E X / sqrt(d) (thorough; estimate, interval)": {
                "issue": {
                    4: (0.80, 0.75, 0.98),
                    8: (0.84, 0.81, 0.97),
                    16: (0.89, 0.84, 1.09),
                    32: (0.94, 0.91, 1.11),
                    64: (1.01, 0.98, 1.26),
                },
                "repo": {4: (1.20, 1.09, 1.33), 8: (1.14, 1.01, 1.40), 16: (1.08, 1.02, 1.27)},
            },
        },
        check_ref="theory.checks.line_of_work_2020:average_soft_rank_check",
        example={"d": 4, "depth": 40, "max_runs": 600, "controls": ["vanilla", "near-full-rank"]},
    )
)


def theorem_exponent(*_: object) -> float:
    """``1/2``: the exponent of Theorem 2's ``Omega(sqrt d)``."""
    return THEOREM_EXPONENT


EXPONENT = register(
    Statement(
        id="rank-collapse-2020/exponent",
        title="The exponent of the depth-averaged soft rank in d (residual weights, n = d): "
        "measured by a log-log fit (info), beside the theorem's 1/2 and the issue's 0.556",
        formula="E X_d ~ C d^a,  a = slope of log E X_d on log d over the grid (OLS, "
        "bootstrap interval: info);  a(d_1, d_K) = log(E X_{d_K}/E X_{d_1}) / log(d_K/d_1) "
        "(finite-sample interval, for the controls)",
        source=f"{PAPER_2020}, Theorem 2 (Omega(sqrt d)); issue 19 (quick run: 0.556)",
        hypotheses={
            "grid": "d = 4, 8, 16, 32 (ci), 4..64 (thorough); n = d",
            "reading": "the issue's (N(0, 1/d), gamma = 1, layers 1..200, H_0 = I)",
        },
        kind="slope",
        bound=theorem_exponent,
        resolution=(
            _READINGS,
            "The exponent is reported, not asserted: Theorem 2 is a lower bound (Omega(sqrt "
            "d)), not a rate, so an exponent above 1/2 does not contradict it.  Info row: the "
            "OLS slope of log E X_d on log d with a bootstrap percentile interval over chains "
            "(asymptotic, outside the false-fail budget), shown with 1/2 and 0.556.",
            "Finite-sample: the two-point exponent between the grid's ends, a(d_1, d_K) = "
            "log(E X_{d_K} / E X_{d_1}) / log(d_K / d_1), has the interval [log(lo_K / hi_1), "
            "log(hi_K / lo_1)] / log(d_K / d_1) from the per-d intervals (each at delta/2 per "
            "end, union bound); the controls are judged on it.",
            "Measured (thorough): OLS exponent 0.584 (bootstrap 95% [0.583, 0.586]) over d = "
            "4..64, 0.578 over 4..32 (ci); two-point a(4, 64) = 0.585, finite-sample [0.450, "
            "0.873] (so 'linear' and 'bounded' are refuted, 1/2 is inside).  The transient of "
            "the window adds to it: the second half's averages (0.785, 0.825, 0.854, 0.887, "
            "0.919 sqrt(d)) give ~0.557, the issue's 0.556 (reported in the rows' extra).  "
            "Above 1/2 at these d: not a contradiction of Omega(sqrt d); whether it tends to "
            "1/2 is not decided here.",
        ),
        negative_controls=(
            NegativeControl(
                id="linear-in-d",
                description="the depth-averaged soft rank grows linearly in d (exponent >= 1: "
                "no rank loss)",
                why_false="E X / sqrt(d) stays ~0.8-1.0 over the grid: the two-point exponent "
                "is 0.585, finite-sample interval [0.45, 0.87] over d = 4..64.",
                bound=lambda *_: 1.0,
                strength="planted",
            ),
            NegativeControl(
                id="bounded-in-d",
                description="the depth-averaged soft rank is bounded in d (exponent <= 0: "
                "rank collapse despite BN)",
                why_false="E X grows from 1.6 at d = 4 to 5.3 at d = 32 and 8.1 at d = 64.",
                bound=lambda *_: 0.0,
                strength="gross",
            ),
        ),
        group=GROUP_2020,
        extra={
            BEARS_ON: "Theorem 1's width dependence (claim 'theorem-1/scaling': the gap's "
            "floor O(sqrt(n/d))) and Sec. 4.1's width rate: a power of d measured in the same "
            "way, here for the soft rank at n = d",
            "theorem exponent": THEOREM_EXPONENT,
            "issue exponent": ISSUE_EXPONENT,
        },
        check_ref="theory.checks.line_of_work_2020:exponent_check",
        example={"grid": [4, 8], "depth": 40, "max_runs": 1000},
    )
)

__all__ = [
    "AVERAGE_SOFT_RANK",
    "C_SQRT",
    "EXPONENT",
    "ISSUE_EXPONENT",
    "NEAR_FULL",
    "READINGS",
    "REPO",
    "THEOREM_EXPONENT",
    "c_sqrt_d",
    "near_full_rank",
    "theorem_exponent",
]
