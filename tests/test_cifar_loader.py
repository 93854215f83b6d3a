"""The CIFAR-10 loader on small files written in exactly the python-pickle batch format."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

pytest.importorskip("torch", reason="theory.training needs PyTorch (pip install -e '.[train]')")

from theory.training import load_cifar10, load_dataset  # noqa: E402


def _write_batches(root, n_per=4, seed=0):
    rng = np.random.default_rng(seed)
    all_data, all_labels = [], []
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, size=(n_per, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, size=n_per)]
        with open(root / name, "wb") as fh:
            pickle.dump(
                {b"batch_label": name.encode(), b"labels": labels, b"data": data,
                 b"filenames": [f"{i}.png".encode() for i in range(n_per)]},
                fh,
            )  # fmt: skip
        if name != "test_batch":
            all_data.append(data)
            all_labels += labels
    names = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse",
             b"ship", b"truck"]  # fmt: skip
    with open(root / "batches.meta", "wb") as fh:
        pickle.dump({b"label_names": names, b"num_cases_per_batch": n_per, b"num_vis": 3072}, fh)
    return np.concatenate(all_data), np.array(all_labels)


def test_reads_standard_batches(tmp_path):
    raw, labels = _write_batches(tmp_path)
    ds = load_cifar10(tmp_path)
    assert ds.name == "cifar10" and ds.num_classes == 10
    assert ds.X.shape == (20, 3072) and ds.X.dtype == np.float32
    np.testing.assert_array_equal(ds.y, labels)
    # default preprocessing, the authors' Normalize(0.5, 0.5): /255, then (x - 0.5) / 0.5
    x = raw / 255.0
    np.testing.assert_allclose(ds.X, (x - 0.5) / 0.5, rtol=1e-6, atol=1e-6)
    assert ds.info["preprocess"] == "authors"
    # "standardise": centre each feature, divide by one common rms
    st = load_cifar10(tmp_path, preprocess="standardise")
    xc = x - x.mean(axis=0)
    np.testing.assert_allclose(st.X, xc / np.sqrt(np.mean(xc**2)), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="preprocess"):
        load_cifar10(tmp_path, preprocess="zscore")
    assert ds.info["label_names"][0] == "airplane"
    assert load_cifar10(tmp_path, split="test").X.shape == (4, 3072)
    assert load_dataset("cifar10", tmp_path).X.shape == (20, 3072)


def test_parent_directory_with_extracted_folder(tmp_path):
    sub = tmp_path / "cifar-10-batches-py"
    sub.mkdir()
    _write_batches(sub)
    assert load_cifar10(tmp_path).X.shape == (20, 3072)


def test_missing_files_explain_how_to_provide(tmp_path):
    with pytest.raises(FileNotFoundError, match="data_batch_1.*cifar-10-python.tar.gz"):
        load_cifar10(tmp_path)
    with pytest.raises(FileNotFoundError, match="no CIFAR-10 directory"):
        load_dataset("cifar10", None)


def test_wrong_format_is_rejected(tmp_path):
    _write_batches(tmp_path)
    with open(tmp_path / "data_batch_3", "wb") as fh:
        pickle.dump({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}, fh)
    with pytest.raises(ValueError, match="3072"):
        load_cifar10(tmp_path)
    with open(tmp_path / "data_batch_3", "wb") as fh:
        fh.write(b"not a pickle")
    with pytest.raises(ValueError, match="not a CIFAR-10"):
        load_cifar10(tmp_path)
    with pytest.raises(ValueError, match="split"):
        load_cifar10(tmp_path, split="val")
