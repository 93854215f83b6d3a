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
    initial_gaps,
    initialize,
    layer_weight,
    load_digits_dataset,
    logit_gap,
    parse_init,
    svd_layer_weight,
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


@pytest.fixture(scope="module")
def digits_std():
    return load_digits_dataset("standardise")


def test_import_theory_does_not_import_torch():
    code = "import sys, theory; assert 'torch' not in sys.modules, 'theory imported torch'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_digits_preprocessing(digits, digits_std):
    from sklearn.datasets import load_digits

    raw = load_digits().data / 16.0  # the authors' Normalize(0.5, 0.5): (x - 0.5) / 0.5
    assert digits.X.dtype == np.float32 and digits.X.shape == (1797, 64)
    np.testing.assert_allclose(digits.X, (raw - 0.5) / 0.5, atol=1e-6)
    assert digits.X.min() == -1.0 and digits.X.max() == 1.0
    assert set(np.unique(digits.y)) == set(range(10))
    d = digits_std
    assert d.X.shape == (1797, 61) and d.info["features_removed_constant"] == 3
    np.testing.assert_allclose(d.X.mean(axis=0), 0, atol=1e-5)
    assert math.isclose(float(np.mean(d.X.astype(np.float64) ** 2)), 1.0, rel_tol=1e-5)
    with pytest.raises(ValueError, match="preprocess"):
        load_digits_dataset("zscore")


@pytest.mark.parametrize("width", [32, 64])
def test_per_layer_gap_decreases_before_activation(digits_std, width):
    """Iterative orthogonalization on a real init batch (n = 3 width digits): at every hidden
    layer, V(W_l H_{l-1}) < V(H_{l-1}) before the ReLU, and V(W_l H_{l-1})^2 equals
    sum s^2/(sum s)^2 - 1/n exactly (H_{l-1}: width x 3 width, full rank)."""
    rng = np.random.default_rng(width)
    X = torch.as_tensor(
        digits_std.X[rng.choice(1797, 3 * width, replace=False)], dtype=torch.float64
    )
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
        initialize(m, "eq6-balanced")
    with pytest.raises(ValueError, match="init"):
        initialize(m, "kaiming")
    with pytest.raises(ValueError, match="init flag"):
        parse_init("authors+exponent=2")
    with pytest.raises(ValueError, match="takes no ablation flags"):
        parse_init("xavier+svd=no")
    with pytest.raises(ValueError, match="exponent"):
        svd_layer_weight(torch.ones(8, 4, dtype=torch.float64), 4, exponent="2")
    with pytest.raises(ValueError, match="n >= out"):
        svd_layer_weight(torch.randn(3, 4, dtype=torch.float64), 4)
    with pytest.raises(ValueError, match="steps"):
        TrainConfig(steps=-1)
    with pytest.raises(ValueError, match="logits"):
        logit_gap(torch.ones(5))
    with pytest.raises(ValueError, match="on_divergence"):
        train_runs(None, 2, "xavier", TrainConfig(width=4), [0], on_divergence="ignore")
    with pytest.raises(ValueError, match="depth"):
        MLP(5, 8, 0, 3)
    with pytest.raises(ValueError, match="lr"):
        TrainConfig(lr=float("nan"))
    with pytest.raises(ValueError, match="width"):
        TrainConfig(width=0)


def test_xavier_is_the_authors_uniform_relu_gain_on_every_layer():
    """xavier_uniform_(gain=calculate_gain('relu')): U(-a, a), a = sqrt(2) sqrt(6/(fi + fo)),
    variance 2 * 2/(fi + fo), on the first layer, the hidden layers and the readout."""
    m = MLP(100, 300, 3, 10)
    initialize(m, "xavier", seed=0)
    assert math.isclose(torch.nn.init.calculate_gain("relu"), math.sqrt(2))
    for lin in [*m.hidden, m.readout]:
        w = lin.weight.detach().double()
        fo, fi = w.shape
        a = math.sqrt(2) * math.sqrt(6 / (fi + fo))
        assert float(w.abs().max()) <= a and float(w.abs().max()) > 0.99 * a
        # >= 3000 entries: sd of the variance ratio <= sqrt(0.8 / 3000) ~ 0.016
        assert abs(float(w.var()) / (4 / (fi + fo)) - 1) < 0.07, (fi, fo)
        assert abs(float(w.mean())) < 4 * a / math.sqrt(3 * w.numel())


@pytest.mark.parametrize("init", ["xavier", "authors", "eq6", "no-svd", "eq6-balanced"])
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
    batch = train_runs(digits, 3, "eq6-balanced", cfg, [1, 2])
    for r in batch:
        single = train_run(digits, 3, "eq6-balanced", cfg, r.seed)
        np.testing.assert_allclose(r.loss, single.loss, rtol=1e-5)
        np.testing.assert_allclose(r.gap, single.gap, rtol=1e-5)


def test_initial_gap_matches_epoch_zero(digits):
    cfg = TrainConfig(width=16, epochs=0)
    r = train_run(digits, 3, "eq6-balanced", cfg, seed=4)
    assert math.isclose(initial_gap(digits, 3, "eq6-balanced", cfg, 4), r.gap[0], rel_tol=1e-5)


def test_cli_writes_json(tmp_path):
    out = tmp_path / "r.json"
    cmd = [
        "--depths", "2", "3", "--width", "16",
        "--steps", "3", "--runs", "2", "--batch-size", "900", "--init", "xavier", "authors+svd=no", "--data", "digits",
        "--out", str(out), "--no-progress", "--device", "cpu",
    ]  # fmt: skip
    assert cli_main(cmd) == 0
    res = json.loads(out.read_text())
    assert res["depths"] == [2, 3] and len(res["runs"]) == 8
    assert res["config"]["n_steps"] == 3 and res["config"]["n_epochs"] == 1.5
    assert res["runs"][0]["steps"] == [0, 2, 3] and len(res["runs"][0]["gap_logits"]) == 3
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
    initialize(base, "eq6-balanced", X_init=Xi, seed=3, scale="unit-entry")
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
    for init in ("eq6-balanced", "authors+svd=no+rescale=unit-entry"):
        m = MLP(digits.num_features, w, L, 10)
        initialize(m, init, X_init=Xi, seed=5, scale="unit-entry")
        r = relative_gradients(m, Xs, ys)[:-1].numpy()
        growth[init] = math.exp(-np.polyfit(np.arange(L), np.log(r), 1)[0])
    assert abs(growth["eq6-balanced"] - EQ6_RELU_GRADIENT_GROWTH) < 0.05, growth
    assert abs(growth["authors+svd=no+rescale=unit-entry"] - 1.0) < 0.05, growth


def test_deep_eq6_training_finite_with_default_scale(digits):
    """Depth 40: the default 'balanced' scale trains to a finite loss; 'unit-entry' diverges."""
    from theory.training import TrainingDiverged

    cfg = TrainConfig(width=16, epochs=2)
    runs = train_runs(digits, 40, "eq6-balanced", cfg, [1, 2])
    assert all(math.isfinite(v) for r in runs for v in r.loss)
    with pytest.raises(TrainingDiverged, match="scale=unit-entry"):
        train_runs(
            digits, 40, "eq6-balanced", TrainConfig(width=16, epochs=2, scale="unit-entry"), [1, 2]
        )


def test_balanced_scale_needs_a_scale_batch(digits):
    Xi, Xs, ys = _digits_batches(digits, 48, 50)
    m = MLP(digits.num_features, 16, 2, 10)
    with pytest.raises(ValueError, match="X_scale and y_scale"):
        initialize(m, "eq6-balanced", X_init=Xi)
    with pytest.raises(ValueError, match="y_scale must have shape"):
        initialize(m, "eq6-balanced", X_init=Xi, X_scale=Xs, y_scale=ys[:-1])
    initialize(m, "xavier", seed=0)  # data-free inits ignore the scale


def test_init_batch_is_capped_by_the_data(digits, tmp_path):
    cfg = TrainConfig(width=800)
    assert cfg.n_scale(1797, "eq6-balanced") == 449 and cfg.n_scale(1797, "authors") == 0
    assert cfg.n_init(1797, "authors") == 1697  # not 3 * 800 = 2400: 100 held-out gap samples
    assert cfg.n_init(1797, "eq6-balanced") == 1248
    assert TrainConfig(width=64).n_init(1797) == 192
    bad = TrainConfig(width=16, init_batch=1790, epochs=0)
    with pytest.raises(ValueError, match="init_batch"):
        train_run(digits, 2, "eq6-balanced", bad, seed=0)
    cmd = ["--depths", "2", "--width", "16", "--init-batch", "1790", "--data", "digits",
           "--out", str(tmp_path / "x.json"), "--no-progress", "--device", "cpu"]  # fmt: skip
    assert cli_main(cmd) == 2


def test_authors_init_is_the_notebooks_improved_init(digits):
    """Layer by layer, against an independent NumPy transcription of improved_init: first layer
    and readout = the Xavier draws of the same seed; layer l >= 2 = u[:w,:w] diag(1/s[:w])
    v[:, :w]^T of the post-ReLU input H (n x w, rows = samples), divided by ||H W^T||_F, so the
    layer's output on the init batch has Frobenius norm 1."""
    w, L, n = 16, 4, 48
    X = torch.as_tensor(digits.X[:n])
    xa, au = MLP(64, w, L, 10), MLP(64, w, L, 10)
    initialize(xa, "xavier", seed=7)
    initialize(au, "authors", X_init=X, seed=7)
    np.testing.assert_array_equal(au.hidden[0].weight.detach(), xa.hidden[0].weight.detach())
    np.testing.assert_array_equal(au.readout.weight.detach(), xa.readout.weight.detach())
    H = np.maximum(X.double().numpy() @ au.hidden[0].weight.detach().double().numpy().T, 0)
    for lin in au.hidden[1:]:
        u, s, vt = np.linalg.svd(H, full_matrices=False)
        W = u[:w, :w] @ np.diag(1 / s[:w]) @ vt[:w, :]
        W = W / np.linalg.norm(H @ W.T)
        got = lin.weight.detach().double().numpy()
        np.testing.assert_allclose(got, W, rtol=2e-4, atol=2e-6 * np.abs(W).max())
        assert math.isclose(float(np.linalg.norm(H @ got.T)), 1.0, rel_tol=1e-5)
        assert not np.allclose(u[:w, :w].T @ u[:w, :w], np.eye(w), atol=0.1)  # not orthogonal
        H = np.maximum(H @ got.T, 0)


def test_eq6_as_printed_flattens_by_sigma_half():
    """Eq. 6 (Sigma^{-1/2}, orthogonal V', unit-Frobenius output): W H^T = Q Sigma^{1/2} V^T
    / ||Sigma^{1/2}||_F, so its singular values are sqrt(s) / ||sqrt(s)||."""
    H = torch.as_tensor(np.random.default_rng(0).standard_normal((40, 12))) @ torch.diag(
        torch.linspace(0.2, 3, 12, dtype=torch.float64)
    )
    W = svd_layer_weight(H, 12, exponent="1/2", vprime="orthogonal", gen=torch.Generator())
    s = torch.linalg.svdvals(H)
    np.testing.assert_allclose(torch.linalg.svdvals(H @ W.T), s.sqrt() / s.sqrt().norm(), rtol=1e-9)


def test_logit_gap_extremes():
    one = torch.ones(20, 1, dtype=torch.float64) @ torch.randn(1, 10, dtype=torch.float64)
    assert math.isclose(logit_gap(one), math.sqrt(2 - 2 / math.sqrt(10)), rel_tol=1e-9)
    assert logit_gap(torch.eye(10, dtype=torch.float64) * 3) < 1e-12


def test_steps_and_held_out_gap(digits):
    cfg = TrainConfig(width=8, steps=5)  # 4 minibatches of 500 per epoch on 1797 samples
    assert cfg.n_steps(1797) == 5 and TrainConfig(epochs=2).n_steps(1797) == 8
    r = train_run(digits, 2, "authors", cfg, seed=3)
    assert r.steps == [0, 4, 5] and len(r.loss) == len(r.gap) == len(r.gap_logits) == 3
    assert train_run(digits, 2, "authors", cfg, seed=3, every_epoch=False).steps == [0, 5]
    g = initial_gaps(digits, 3, "authors", TrainConfig(width=16), seed=1)
    assert set(g) == {"held_out", "init_batch", "logits"}
    # the whitening is fitted to the init batch: far lower gap there than on held-out samples
    assert g["init_batch"] < g["held_out"]
    assert math.isclose(
        initial_gap(digits, 3, "authors", TrainConfig(width=16), 1), g["held_out"], rel_tol=1e-12
    )


def test_divergence_is_recorded(digits):
    cfg = TrainConfig(width=16, steps=8, scale="unit-entry")
    runs = train_runs(digits, 40, "eq6-balanced", cfg, [1, 2, 3], on_divergence="record")
    assert any(r.loss[-1] == math.inf for r in runs)


def test_cli_output_does_not_depend_on_the_environment(tmp_path):
    outs = []
    for i, env in enumerate(({}, {"THEORY_SEED_SALT": "x", "THEORY_PROFILE": "thorough"})):
        out = tmp_path / f"r{i}.json"
        cmd = [sys.executable, "-m", "theory.training", "--depths", "2", "--width", "8",
               "--steps", "2", "--runs", "1", "--init", "xavier", "authors", "--out", str(out),
               "--no-progress", "--device", "cpu"]  # fmt: skip
        import os

        subprocess.run(cmd, check=True, env={**os.environ, **env}, timeout=120)
        outs.append([r["loss"] for r in json.loads(out.read_text())["runs"]])
    assert outs[0] == outs[1]


def _slow_square(x: int) -> dict[str, np.ndarray]:
    """Counts its calls in a file (module level, so a spawned process can import it)."""
    import os
    import time

    with open(os.environ["SHARED_TEST_LOG"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    time.sleep(0.5)
    return {"y": np.array([x * x, np.inf])}


def _ask(folder: str, x: int) -> list[float]:
    from theory.checks.training import shared
    from theory.engine import RunContext

    ctx = RunContext.create("ci", "numpy", cache_dir=folder)
    return shared(ctx, _slow_square, x)["y"].tolist()


def test_shared_trains_once_across_processes(tmp_path, monkeypatch):
    """Two processes asking for the same key at once: one computes, the other waits on the lock
    and reads the file (the xdist workers of one verify run share training runs this way)."""
    import multiprocessing as mp

    pytest.importorskip("fcntl", reason="the shared cache uses POSIX file locks")
    log = tmp_path / "calls.log"
    monkeypatch.setenv("SHARED_TEST_LOG", str(log))
    folder = str(tmp_path / "cache")
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    with mp.get_context(method).Pool(2) as pool:
        out = pool.starmap(_ask, [(folder, 3), (folder, 3), (folder, 4)])
    assert out == [[9.0, math.inf], [9.0, math.inf], [16.0, math.inf]]
    assert len(log.read_text().split()) == 2  # key 3 once, key 4 once
    # without a cache folder nothing is written and the function runs every time
    from theory.checks.training import shared
    from theory.engine import RunContext

    assert shared(RunContext.create("ci", "numpy"), _slow_square, 5)["y"][0] == 25
    assert len(log.read_text().split()) == 3


def test_run_context_cache_dir_is_checked():
    from theory.engine import RunContext

    with pytest.raises(ValueError, match="cache_dir"):
        RunContext.create("ci", "numpy", cache_dir=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("init", ["xavier", "authors"])
def test_a_seed_trains_the_same_in_any_batch(digits, init):
    """The runs of a batch do not interact: a seed's run is bitwise the same trained alone or
    beside others (the checks store each seed once and train the missing ones together)."""
    cfg = TrainConfig(width=16, steps=6)
    kw = {"every_epoch": False, "on_divergence": "record"}
    batch = train_runs(digits, 4, init, cfg, [5, 6, 7, 8], **kw)
    alone = train_runs(digits, 4, init, cfg, [7], **kw)[0]
    part = train_runs(digits, 4, init, cfg, [7, 8], **kw)[0]
    for r in (alone, part):
        assert (r.loss, r.gap, r.gap_logits) == (batch[2].loss, batch[2].gap, batch[2].gap_logits)


def test_seed_runs_add_only_the_missing_seeds(tmp_path):
    """A claim that adds seeds reuses the ones already stored (by it, by another claim, by
    another process of the run): the missing suffix is computed in one call."""
    from theory.checks.training import seed_runs
    from theory.engine import RunContext

    calls = []

    def compute(seeds):
        calls.append(seeds)
        return {"x": np.array([float(s % 997) for s in seeds]), "y": np.array(seeds) * 0.0}

    ctx = RunContext.create("ci", "numpy", cache_dir=str(tmp_path))
    seeds = [ctx.seed("training", r) for r in range(5)]
    a = seed_runs(ctx, ("k", 1), compute, 3)
    b = seed_runs(ctx, ("k", 1), compute, 5)
    assert calls == [tuple(seeds[:3]), tuple(seeds[3:])]
    np.testing.assert_array_equal(b["x"], [float(s % 997) for s in seeds])
    np.testing.assert_array_equal(b["x"][:3], a["x"])
    # another process of the run (a fresh context on the same folder) reads them all
    c = seed_runs(RunContext.create("ci", "numpy", cache_dir=str(tmp_path)), ("k", 1), compute, 4)
    assert len(calls) == 2 and c["x"].tolist() == b["x"][:4].tolist()
    # another key or another salt is another run
    seed_runs(ctx, ("k", 2), compute, 2)
    seed_runs(
        RunContext.create("ci", "numpy", salt="s", cache_dir=str(tmp_path)), ("k", 1), compute, 1
    )
    assert len(calls) == 4


def test_seed_budget_starts_at_the_smallest_batch_that_can_decide():
    """2^-R <= ASSERTION_DELTA x look 1's share / pairs (look 1 at half the level): 20 seeds
    for one pair, more for more pairs; a case's max_seeds only lowers the cap."""
    from theory.checks.training import FIRST_LOOK_SHARE, seed_budget
    from theory.engine import RunContext
    from theory.sequential import Budget
    from theory.stats import ASSERTION_DELTA

    for profile in ("ci", "thorough", "paper"):
        ctx = RunContext.create(profile, "numpy")
        cap = ctx.profile.max_seeds
        for pairs in (1, 2, 3, 4):
            b = seed_budget(ctx, {}, pairs)
            assert b.max_runs == cap and b.max_seconds is None and b.growth == 1.5
            assert b.first_share == FIRST_LOOK_SHARE == 0.5 and b.looks > 1
            R = b.first_batch
            assert 0.5**R <= ASSERTION_DELTA * b.look_delta(1, 1.0) / pairs
            assert R == math.ceil(math.log2(pairs / (FIRST_LOOK_SHARE * ASSERTION_DELTA)))
            if R > 2:  # one fewer seed could not decide, whatever K it gives
                k = Budget(
                    max_runs=cap, max_seconds=None, first_batch=R - 1, growth=1.5, first_share=0.5
                )
                assert 0.5 ** (R - 1) > ASSERTION_DELTA * k.look_delta(1, 1.0) / pairs
        assert seed_budget(ctx, {}, 1).first_batch == 20
    small = seed_budget(ctx, {"max_seeds": 2}, 1)
    assert small.max_runs == 2 and small.schedule() == (2,)


def test_in_place_relu_forward_gives_the_reference_gradients_bitwise():
    # theory.training._train._forward applies ReLU in place on the fresh product; autograd must
    # be unchanged (the bench's training table times the two side by side)
    from theory.bench import training_table

    (row,) = training_table(repeat=1, quick=True)
    assert row["bitwise_equal_grads"] is True


class _FakeRuns:
    """until_decided's view of Runs: records what was loaded, serves synthetic differences."""

    def __init__(self):
        self.loaded: dict = {}

    def load_each(self, want):
        for x, n in want.items():
            self.loaded[x] = max(self.loaded.get(x, 0), n)


def test_a_staged_control_refuted_by_its_first_pair_never_draws_the_others():
    """A control "... at every depth" is refuted by one depth: drawn cheapest first, the deep
    runs are never trained when the shallow pair refutes it; the sign test still divides by
    every pair (its Bonferroni over the family), and the rows say which pairs were drawn."""
    from theory.checks.training import Paired, _judged, seed_budget
    from theory.engine import RunContext

    ctx = RunContext.create("thorough", "numpy")
    runs = _FakeRuns()
    rng = np.random.default_rng(0)
    claim_d = 1.0 + rng.random(400)  # every sign positive: the claim passes at look 1
    ctl = {15: -1.0 - rng.random(400), 75: rng.standard_normal(400)}  # only L=15 refutes
    shallow, deep = (
        (("trained", "x", 15), ("trained", "c", 15)),
        (
            ("trained", "x", 75),
            ("trained", "c", 75),
        ),
    )
    fams = [
        Paired("claim", lambda n: [("L=75", claim_d[:n])], (("trained", "a", 75),), edge=0.5),
        Paired(
            "control",
            lambda n, j: [(f"L={D}", ctl[D][:n]) for D in (15, 75)[:j]],
            (),
            control="c",
            stages=(shallow, deep),
        ),
    ]
    rows, n, res = _judged(ctx, "s", {}, fams, runs=runs, pairs=1, params={})
    b = seed_budget(ctx, {}, 1)
    assert res.batches == 1 and n == b.first_batch
    c1 = n
    assert runs.loaded == {("trained", "a", 75): n, **{x: c1 for x in shallow}}
    (row,) = [r for r in rows if r.control == "c"]
    assert row.verdict == "refuted" and row.params["seeds"] == c1
    assert "Bonferroni over 2 pair(s)" in row.method
    assert row.extra["pairs drawn"].startswith("1 of 2")
    # a control the shallow pair does not refute draws the deep one, within the same look
    ctl[15], ctl[75] = ctl[75], ctl[15]
    runs2 = _FakeRuns()
    rows, _, res = _judged(ctx, "s", {}, fams, runs=runs2, pairs=1, params={})
    assert res.batches == 1 and all(runs2.loaded[x] == c1 for x in shallow + deep)
    (row,) = [r for r in rows if r.control == "c"]
    assert row.verdict == "refuted" and row.extra["pairs drawn"].startswith("2 of 2")


def test_staged_pairs_are_for_controls_only():
    from theory.checks.training import Paired

    with pytest.raises(ValueError, match="stages are for controls"):
        Paired("claim", lambda n, j: [], (), stages=((("trained", "x", 1),),))


def test_a_family_done_at_an_earlier_look_keeps_that_looks_level():
    """The looks' shares differ (look 1 at delta/2): a claim decided at look 1 while a control
    needs look 2 is judged at look 1's share -- at look 2's its 20 seeds could not pass."""
    from theory.checks.training import Paired, _judged, seed_budget
    from theory.engine import RunContext

    ctx = RunContext.create("thorough", "numpy")
    b = seed_budget(ctx, {}, 1)
    n1 = b.first_batch
    claim_d = np.linspace(1.0, 2.0, 400)
    ctl = np.where(np.arange(400) < n1, np.tile([1.0, -1.0], 200), -1.0)  # mixed, then negative
    fams = [
        Paired("claim", lambda n: [("L=1", claim_d[:n])], (("trained", "a", 1),), edge=0.5),
        Paired("control", lambda n: [("L=1", ctl[:n])], (("trained", "c", 1),), control="c"),
    ]
    rows, n, res = _judged(ctx, "s", {}, fams, runs=_FakeRuns(), pairs=1, params={})
    assert res.batches == 2 and n == n1 and res.delta_k == b.look_delta(1, 1.0)
    claim = next(r for r in rows if r.control is None)
    assert claim.verdict == "pass" and claim.params["seeds"] == n1
    ctl_row = next(r for r in rows if r.control == "c")
    assert ctl_row.verdict == "refuted" and ctl_row.params["seeds"] == b.schedule()[1]
