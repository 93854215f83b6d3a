"""Unit tests of theory.training: the per-layer Eq. 6 property on the init batch, the model,
the init, the training loop and the CLI (small and fast)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="theory.training needs PyTorch (pip install -e '.[train]')"
)
pytest.importorskip(
    "sklearn", reason="the digits data needs scikit-learn (pip install -e '.[train]')"
)

from theory import orthogonality_gap  # noqa: E402
from theory.training import (  # noqa: E402
    MLP,
    TrainConfig,
    initial_gap,
    initialize,
    layer_weight,
    load_digits_dataset,
    train_run,
    train_runs,
)
from theory.training.__main__ import main as cli_main  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    n = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: threads only add overhead on a shared CI box
    yield load_digits_dataset()
    torch.set_num_threads(n)


def test_import_theory_does_not_import_torch():
    code = "import sys, theory; assert 'torch' not in sys.modules, 'theory imported torch'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_digits_preprocessing(digits):
    assert digits.X.dtype == np.float32 and digits.X.shape == (1797, 61)
    assert digits.info["features_removed_constant"] == 3
    np.testing.assert_allclose(digits.X.mean(axis=0), 0, atol=1e-5)
    assert math.isclose(float(np.mean(digits.X.astype(np.float64) ** 2)), 1.0, rel_tol=1e-5)
    assert set(np.unique(digits.y)) == set(range(10))


@pytest.mark.parametrize("width", [32, 64])
def test_per_layer_gap_decreases_before_activation(digits, width):
    """Iterative orthogonalization on a real init batch (n = 3 width digits): at every hidden
    layer, V(W_l H_{l-1}) < V(H_{l-1}) before the ReLU, and V(W_l H_{l-1})^2 equals
    sum s^2/(sum s)^2 - 1/n exactly (H_{l-1}: width x 3 width, full rank)."""
    rng = np.random.default_rng(width)
    X = torch.as_tensor(digits.X[rng.choice(1797, 3 * width, replace=False)], dtype=torch.float64)
    H = X.T  # d x n, the input layer (61 features)
    gen = torch.Generator().manual_seed(0)
    n = H.shape[1]
    for l in range(5):
        W = layer_weight(H, width, gen=gen)
        WH = W @ H
        vin, vout = float(orthogonality_gap(H)), float(orthogonality_gap(WH))
        assert vout < vin, (l, vin, vout)
        if l > 0:
            s = torch.linalg.svdvals(H)
            pred = math.sqrt(float((s**2).sum() / s.sum() ** 2) - 1 / n)
            assert math.isclose(vout, pred, rel_tol=1e-9, abs_tol=1e-12), (l, vout, pred)
        H = torch.relu(WH)


def test_exact_identity_unit_norm():
    """V(WH)^2 = sum s^2/(sum s)^2 - 1/n; for unit-norm H: 1/(sum s)^2 - 1/n."""
    rng = np.random.default_rng(0)
    H = torch.as_tensor(rng.standard_normal((20, 60)) @ np.diag(rng.uniform(0.1, 3, 60)))
    H = H / torch.linalg.matrix_norm(H)
    W = layer_weight(H, 20, scale="eq6", gen=torch.Generator().manual_seed(1))
    s = torch.linalg.svdvals(H)
    v2 = float(orthogonality_gap(W @ H)) ** 2
    assert math.isclose(v2, 1 / float(s.sum()) ** 2 - 1 / 60, rel_tol=1e-9)
    assert math.isclose(float(torch.linalg.matrix_norm(W @ H)), 1.0, rel_tol=1e-12)
    assert v2 < float(orthogonality_gap(H)) ** 2


def test_scale_unit_entry_and_wide_embedding():
    rng = np.random.default_rng(1)
    H = torch.as_tensor(rng.standard_normal((10, 40)))
    W = layer_weight(H, 30, gen=torch.Generator().manual_seed(2))  # out 30 > rank 10: embed
    assert W.shape == (30, 10)
    assert math.isclose(float((W @ H).pow(2).mean()), 1.0, rel_tol=1e-12)
    Wn = layer_weight(H, 30, scale="eq6", gen=torch.Generator().manual_seed(2))
    assert math.isclose(float(orthogonality_gap(W @ H)), float(orthogonality_gap(Wn @ H)))


def test_narrow_layer_projects_on_top_singular_subspace():
    rng = np.random.default_rng(2)
    H = torch.as_tensor(rng.standard_normal((50, 80)))
    W = layer_weight(H, 20, gen=torch.Generator().manual_seed(0))
    assert W.shape == (20, 50) and bool(torch.isfinite(W).all())
    assert torch.linalg.matrix_rank(W @ H) == 20


def test_rank_deficient_input_is_handled():
    rng = np.random.default_rng(3)
    H = torch.as_tensor(rng.standard_normal((12, 40)))
    H[5] = 0.0  # a feature that is zero on the whole init batch
    W = layer_weight(H, 12, gen=torch.Generator().manual_seed(0))
    assert bool(torch.isfinite(W).all())
    assert float(orthogonality_gap(W @ H)) < float(orthogonality_gap(H))


def test_bad_inputs_raise():
    H = torch.ones(4, 8, dtype=torch.float64)
    g = torch.Generator()
    with pytest.raises(ValueError, match="variant"):
        layer_weight(H, 4, variant="nope", gen=g)
    with pytest.raises(ValueError, match="scale"):
        layer_weight(H, 4, scale="nope", gen=g)
    with pytest.raises(ValueError, match="nonzero"):
        layer_weight(torch.zeros(4, 8, dtype=torch.float64), 4, gen=g)
    m = MLP(5, 8, 2, 3)
    with pytest.raises(ValueError, match="X_init"):
        initialize(m, "orthogonal")
    with pytest.raises(ValueError, match="init"):
        initialize(m, "kaiming")
    with pytest.raises(ValueError, match="depth"):
        MLP(5, 8, 0, 3)
    with pytest.raises(ValueError, match="lr"):
        TrainConfig(lr=float("nan"))
    with pytest.raises(ValueError, match="width"):
        TrainConfig(width=0)


def test_xavier_variance():
    m = MLP(100, 300, 3, 10)
    initialize(m, "xavier", seed=0)
    w = m.hidden[1].weight.detach().double()
    assert abs(float(w.var()) / (2 / 600) - 1) < 0.02  # 90000 entries: sd of ratio ~ 0.005


@pytest.mark.parametrize("init", ["xavier", "orthogonal", "orthogonal-authors", "no-svd"])
def test_training_is_finite_and_reproducible(digits, init):
    cfg = TrainConfig(width=16, epochs=2, batch_size=900)
    a = train_run(digits, 3, init, cfg, seed=11)
    b = train_run(digits, 3, init, cfg, seed=11)
    assert len(a.loss) == 3 and len(a.gap) == 3
    assert all(math.isfinite(v) for v in a.loss + a.gap)
    assert a.loss == b.loss and a.gap == b.gap
    assert 0 <= min(a.gap) and max(a.gap) <= math.sqrt(1 - 1 / cfg.n_gap) + 1e-12


def test_batched_runs_equal_single_runs(digits):
    cfg = TrainConfig(width=16, epochs=2, batch_size=900)
    batch = train_runs(digits, 3, "orthogonal", cfg, [1, 2])
    for r in batch:
        single = train_run(digits, 3, "orthogonal", cfg, r.seed)
        np.testing.assert_allclose(r.loss, single.loss, rtol=1e-5)
        np.testing.assert_allclose(r.gap, single.gap, rtol=1e-5)


def test_initial_gap_matches_epoch_zero(digits):
    cfg = TrainConfig(width=16, epochs=0)
    r = train_run(digits, 3, "orthogonal", cfg, seed=4)
    assert math.isclose(initial_gap(digits, 3, "orthogonal", cfg, 4), r.gap[0], rel_tol=1e-5)


def test_cli_writes_json(tmp_path):
    out = tmp_path / "r.json"
    cmd = [
        "--depths", "2", "3", "--width", "16",
        "--epochs", "1", "--runs", "2", "--batch-size", "900", "--init", "xavier", "orthogonal", "--data", "digits",
        "--out", str(out), "--no-progress", "--device", "cpu",
    ]  # fmt: skip
    assert cli_main(cmd) == 0
    res = json.loads(out.read_text())
    assert res["depths"] == [2, 3] and len(res["runs"]) == 8
    ids = {f["id"] for f in res["figures"]}
    assert {"fig5-loss-vs-depth-digits", "fig4a-gap-vs-depth-digits"} <= ids
    for f in res["figures"]:
        for s in f["series"]:
            assert len(s["y"]) == len(f["x"])


def test_cli_missing_cifar_says_how(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "theory.training",
        "--data",
        "cifar10",
        "--data-dir",
        str(tmp_path),
    ]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert "cifar-10-python.tar.gz" in p.stderr and "data_batch_1" in p.stderr


def _digits_batches(digits, n_init, n_scale, seed=0):
    idx = np.random.default_rng(seed).permutation(digits.num_samples)
    X, y = torch.as_tensor(digits.X), torch.as_tensor(digits.y)
    a, b = idx[:n_init], idx[n_init : n_init + n_scale]
    return X[a], X[b], y[b]


def test_balanced_scale_keeps_directions_and_equalises_relative_gradients(digits):
    """Balancing multiplies each layer by a positive factor: every h_l keeps its direction (the
    gap is unchanged), the logits are multiplied by a constant (the balancing step's is <= 1),
    and the relative gradients r_l, spread by ~1.21^L under unit-entry, become nearly equal
    (first-order construction)."""
    from theory.training import balance_layers, relative_gradients

    L, w = 24, 32
    Xi, Xs, ys = _digits_batches(digits, 3 * w, 300)
    base = MLP(digits.num_features, w, L, 10)
    initialize(base, "orthogonal", X_init=Xi, seed=3, scale="unit-entry")
    bal = MLP(digits.num_features, w, L, 10)
    bal.load_state_dict(base.state_dict())
    c = balance_layers(bal, Xs, ys)
    assert c.shape == (L + 1,) and bool((c > 0).all())
    # float64 forward of the float32 weights: 25 rounded layers, units near the ReLU kink
    bal64, base64, Xs64 = bal.double(), base.double(), Xs.double()
    with torch.no_grad():
        hb, hu = bal64.layer_inputs(Xs64), base64.layer_inputs(Xs64)
        for a, b in zip(hb[1:], hu[1:]):
            ga, gb = orthogonality_gap(a.T), orthogonality_gap(b.T)
            assert math.isclose(float(ga), float(gb), rel_tol=1e-5)  # float32 weights
        lb, lu = bal64(Xs64), base64(Xs64)
    assert 0 < float(c.prod()) <= 1 + 1e-9  # step 2 never amplifies the logits
    C = float((lb * lu).sum() / (lu * lu).sum())  # step 1 (forward normalisation) included
    np.testing.assert_allclose(
        lb.numpy(), C * lu.numpy(), rtol=1e-3, atol=1e-3 * C * float(lu.abs().max())
    )
    bal, base = bal.float(), base.float()
    r_u, r_b = relative_gradients(base, Xs, ys), relative_gradients(bal, Xs, ys)
    assert float(r_u.max() / r_u.min()) > 20  # ~1.21^24 / 2 before balancing
    assert float(r_b.max() / r_b.min()) < 2  # equal to first order after


def test_eq6_relu_gradient_growth_matches_prediction(digits):
    """Eq. 6 through a ReLU: relative gradients grow by sqrt(pi/(pi-1)) ~ 1.21 per layer going
    down; the no-SVD ablation (same data-based scale) grows by ~1."""
    from theory.training import EQ6_RELU_GRADIENT_GROWTH, relative_gradients

    L, w = 30, 64
    Xi, Xs, ys = _digits_batches(digits, 3 * w, 400, seed=1)
    growth = {}
    for init in ("orthogonal", "no-svd"):
        m = MLP(digits.num_features, w, L, 10)
        initialize(m, init, X_init=Xi, seed=5, scale="unit-entry")
        r = relative_gradients(m, Xs, ys)[:-1].numpy()
        growth[init] = math.exp(-np.polyfit(np.arange(L), np.log(r), 1)[0])
    assert abs(growth["orthogonal"] - EQ6_RELU_GRADIENT_GROWTH) < 0.05, growth
    assert abs(growth["no-svd"] - 1.0) < 0.05, growth


def test_deep_eq6_training_finite_with_default_scale(digits):
    """Depth 40: the default 'balanced' scale trains to a finite loss; 'unit-entry' diverges."""
    from theory.training import TrainingDiverged

    cfg = TrainConfig(width=16, epochs=2)
    runs = train_runs(digits, 40, "orthogonal", cfg, [1, 2])
    assert all(math.isfinite(v) for r in runs for v in r.loss)
    with pytest.raises(TrainingDiverged, match="scale=unit-entry"):
        train_runs(
            digits, 40, "orthogonal", TrainConfig(width=16, epochs=2, scale="unit-entry"), [1, 2]
        )


def test_balanced_scale_needs_a_scale_batch(digits):
    Xi, Xs, ys = _digits_batches(digits, 48, 50)
    m = MLP(digits.num_features, 16, 2, 10)
    with pytest.raises(ValueError, match="X_scale and y_scale"):
        initialize(m, "orthogonal", X_init=Xi)
    with pytest.raises(ValueError, match="y_scale must have shape"):
        initialize(m, "orthogonal", X_init=Xi, X_scale=Xs, y_scale=ys[:-1])
    initialize(m, "xavier", seed=0)  # data-free inits ignore the scale


def test_init_batch_is_capped_by_the_data(digits, tmp_path):
    cfg = TrainConfig(width=800)
    assert cfg.n_scale(1797) == 449 and cfg.n_init(1797) == 1348  # not 3 * 800 = 2400
    assert TrainConfig(width=64).n_init(1797) == 192
    bad = TrainConfig(width=16, init_batch=1500, epochs=0)
    with pytest.raises(ValueError, match="init_batch"):
        train_run(digits, 2, "orthogonal", bad, seed=0)
    cmd = ["--depths", "2", "--width", "16", "--init-batch", "1500", "--data", "digits",
           "--out", str(tmp_path / "x.json"), "--no-progress", "--device", "cpu"]  # fmt: skip
    assert cli_main(cmd) == 2
