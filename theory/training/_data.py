"""Real data sets for the training experiments (paper Section 5).

Two loaders, both returning a :class:`Dataset` of float32 features ``X`` (N x D, one sample per
row) and int64 labels ``y``:

* :func:`load_digits_dataset` -- scikit-learn's bundled handwritten digits (1797 images of 8 x 8
  pixels, 10 classes; ships with scikit-learn, no download).  The default.
* :func:`load_cifar10` -- CIFAR-10 from the standard *python* pickle batches
  (``data_batch_1`` .. ``data_batch_5``, ``test_batch``, ``batches.meta``; each batch a dict with
  ``b"data"``: uint8 N x 3072 (1024 red, 1024 green, 1024 blue, row-major 32 x 32) and
  ``b"labels"``: N ints) in a directory the user gives.  Nothing is downloaded.

Preprocessing (``preprocess``, the same for both data sets): pixels are first scaled to [0, 1]
(digits: / 16, CIFAR-10: / 255), then

* ``"authors"`` (the default; the authors' notebooks,
  ``torchvision.transforms.Normalize((0.5,)*3, (0.5,)*3)``): ``x -> (x - 0.5) / 0.5`` in [-1, 1],
  every feature kept (digits: 64 features, 3 of them constant -1; CIFAR-10: 3072);
* ``"standardise"`` (this project's earlier choice): features that are constant on the training
  split removed (digits: 3 always-blank border pixels), each feature centred by its training
  mean, all features divided by one common scalar, the root mean square of the centred
  features (mean squared feature 1; digits: 61 features).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

DATASETS = ("digits", "cifar10")
PREPROCESS = ("authors", "standardise")

CIFAR10_HELP = (
    "CIFAR-10 is not bundled and nothing is downloaded here. Get the python version "
    "'cifar-10-python.tar.gz' from https://www.cs.toronto.edu/~kriz/cifar.html on a machine with "
    "internet, extract it, and pass the extracted folder (the one holding data_batch_1 .. "
    "data_batch_5, test_batch and batches.meta), e.g. --data cifar10 --data-dir "
    "/path/to/cifar-10-batches-py"
)


@dataclass(frozen=True)
class Dataset:
    """Features ``X`` (N x D float32, preprocessed as in the module docstring) and labels ``y``."""

    name: str
    X: np.ndarray
    y: np.ndarray
    num_classes: int
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def num_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def num_features(self) -> int:
        return int(self.X.shape[1])


def _standardise(X: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    X = np.asarray(X, dtype=np.float64)
    keep = X.std(axis=0) > 0
    if not keep.any():
        raise ValueError("X must have at least one non-constant feature")
    Xc = X[:, keep] - X[:, keep].mean(axis=0)
    rms = float(np.sqrt(np.mean(Xc**2)))
    return (Xc / rms).astype(np.float32), {
        "features_removed_constant": int((~keep).sum()),
        "rms_scale": rms,
    }


def _authors(X: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    X = np.asarray(X, dtype=np.float64)
    return ((X - 0.5) / 0.5).astype(np.float32), {"normalisation": "(x - 0.5) / 0.5"}


def _preprocess(X: np.ndarray, preprocess: str) -> tuple[np.ndarray, dict[str, Any]]:
    if preprocess == "authors":
        X, info = _authors(X)
    elif preprocess == "standardise":
        X, info = _standardise(X)
    else:
        raise ValueError(f"preprocess must be one of {PREPROCESS}; got {preprocess!r}")
    return X, {**info, "preprocess": preprocess}


def load_digits_dataset(preprocess: str = "authors") -> Dataset:
    """scikit-learn's handwritten digits (``sklearn.datasets.load_digits``): pixels / 16, then
    ``preprocess`` (module docstring)."""
    if preprocess not in PREPROCESS:
        raise ValueError(f"preprocess must be one of {PREPROCESS}; got {preprocess!r}")
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the digits data set needs scikit-learn: pip install -e '.[train]'"
        ) from e
    bunch = load_digits()
    X, info = _preprocess(bunch.data / 16.0, preprocess)
    return Dataset(
        "digits", X, bunch.target.astype(np.int64), 10, {**info, "source": "sklearn load_digits"}
    )


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with open(path, "rb") as fh:
        try:
            d = pickle.load(fh, encoding="bytes")
        except Exception as e:
            raise ValueError(f"{path} is not a CIFAR-10 python pickle batch: {e}") from e
    if not isinstance(d, dict) or b"data" not in d or b"labels" not in d:
        raise ValueError(f"{path} must hold a dict with keys b'data' and b'labels'")
    data = np.asarray(d[b"data"])
    labels = np.asarray(d[b"labels"], dtype=np.int64)
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise ValueError(
            f"{path}: b'data' must be a uint8 array of shape (N, 3072); got "
            f"{data.dtype} {data.shape}"
        )
    if labels.shape != (data.shape[0],) or labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"{path}: b'labels' must be N integers in 0..9")
    return data, labels


def load_cifar10(
    data_dir: str | Path, *, split: str = "train", preprocess: str = "authors"
) -> Dataset:
    """CIFAR-10 from the python pickle batches in ``data_dir`` (``split`` "train" or "test").

    Raises ``FileNotFoundError`` with instructions when the files are missing, ``ValueError``
    when a file is not in the CIFAR-10 format.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}")
    if preprocess not in PREPROCESS:
        raise ValueError(f"preprocess must be one of {PREPROCESS}; got {preprocess!r}")
    if data_dir is None:
        raise FileNotFoundError("no CIFAR-10 directory given. " + CIFAR10_HELP)
    root = Path(data_dir)
    if (root / "cifar-10-batches-py").is_dir():
        root = root / "cifar-10-batches-py"
    names = [f"data_batch_{i}" for i in range(1, 6)] if split == "train" else ["test_batch"]
    missing = [n for n in names + ["batches.meta"] if not (root / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"CIFAR-10 files missing in {root}: {', '.join(missing)}. " + CIFAR10_HELP
        )
    parts = [_read_batch(root / n) for n in names]
    with open(root / "batches.meta", "rb") as fh:
        meta = pickle.load(fh, encoding="bytes")
    label_names = [
        x.decode() if isinstance(x, bytes) else str(x) for x in meta.get(b"label_names", [])
    ]
    data = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    X, info = _preprocess(data / 255.0, preprocess)
    return Dataset(
        "cifar10",
        X,
        labels,
        10,
        {**info, "source": str(root), "split": split, "label_names": label_names},
    )


def load_dataset(
    name: str, data_dir: str | Path | None = None, *, preprocess: str = "authors"
) -> Dataset:
    """``"digits"`` (bundled) or ``"cifar10"`` (needs ``data_dir``), with ``preprocess``."""
    if name == "digits":
        return load_digits_dataset(preprocess)
    if name == "cifar10":
        return load_cifar10(data_dir, preprocess=preprocess)  # type: ignore[arg-type]
    raise ValueError(f"data must be one of {DATASETS}; got {name!r}")


__all__ = [
    "CIFAR10_HELP",
    "DATASETS",
    "Dataset",
    "PREPROCESS",
    "load_cifar10",
    "load_dataset",
    "load_digits_dataset",
]
