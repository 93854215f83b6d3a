"""The one place where NumPy and PyTorch differ: array namespace, RNG, dtype and device.

Everything else in :mod:`theory` is written once against the Array API namespace returned
by :func:`get_backend` (through ``array_api_compat``), so the NumPy and torch code paths are
the same lines of code.  float64 on the CPU (NumPy) is the reference backend.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from typing import Any

import array_api_compat
import numpy as np

BACKENDS = ("numpy", "torch")


def torch_available() -> bool:
    """Whether PyTorch can be imported (it is an optional dependency)."""
    return importlib.util.find_spec("torch") is not None


def cuda_available() -> bool:
    """Whether a CUDA device is visible to PyTorch."""
    if not torch_available():
        return False
    import torch

    return bool(torch.cuda.is_available())


@dataclass(frozen=True)
class Backend:
    """An array namespace bound to a dtype and a device.

    Attributes
    ----------
    name : ``"numpy"`` or ``"torch"``.
    xp : the Array API namespace (``array_api_compat.numpy`` or ``array_api_compat.torch``).
    dtype : the floating dtype of that namespace (float64 by default).
    device : ``"cpu"`` or a torch device string such as ``"cuda"``.
    """

    name: str
    xp: Any = field(repr=False)
    dtype: Any
    device: str

    @property
    def dtype_name(self) -> str:
        return str(self.dtype).replace("torch.", "")

    def asarray(self, x: Any) -> Any:
        """Convert ``x`` (NumPy array, list, tensor) to this backend's dtype and device."""
        if self.name == "numpy":
            return np.asarray(to_numpy(x), dtype=self.dtype)
        import torch

        if isinstance(x, torch.Tensor):
            return x.to(dtype=self.dtype, device=self.device)
        return torch.as_tensor(np.asarray(x), dtype=self.dtype, device=self.device)

    def rng(self, seed: int | np.random.SeedSequence) -> Any:
        """A random generator seeded from ``seed`` (an int or a :class:`numpy.random.SeedSequence`).

        NumPy gets a PCG64 ``Generator``; torch gets a ``torch.Generator`` on ``device`` seeded with
        a 63-bit integer derived from the same SeedSequence.  The two streams differ, so the
        backends agree in law, not sample by sample.
        """
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        if self.name == "numpy":
            return np.random.Generator(np.random.PCG64(ss))
        import torch

        g = torch.Generator(device=self.device)
        g.manual_seed(int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)))
        return g

    def qr_r(self, A: Any) -> Any:
        """The R factor of a reduced QR of a stack ``A`` (..., d, n), d >= n: ``R^T R = A^T A``.

        Householder QR is backward stable and, unlike Cholesky of ``A^T A``, does not fail when
        ``A`` is rank deficient or ill conditioned.
        """
        if self.name == "numpy":
            return np.linalg.qr(A, mode="r")
        import torch

        return torch.linalg.qr(A, mode="r").R

    def row_sq_norms(self, M: Any) -> Any:
        """``sum_j M[..., i, j]^2``: squared norms of the rows of a stack, shape ``M.shape[:-1]``.

        One fused pass (``einsum`` / ``vector_norm``) instead of squaring into a temporary and
        reducing over a short last axis, which NumPy does slowly; the chain's inner loop.
        """
        if self.name == "numpy":
            return np.einsum("...ij,...ij->...i", M, M)
        import torch

        return torch.linalg.vector_norm(M, dim=-1) ** 2

    def standard_normal(self, rng: Any, shape: tuple[int, ...]) -> Any:
        """i.i.d. N(0, 1) draws of the given shape, in this backend's dtype and device."""
        if self.name == "numpy":
            return rng.standard_normal(shape, dtype=self.dtype)
        import torch

        return torch.randn(shape, generator=rng, dtype=self.dtype, device=self.device)


def get_backend(
    backend: str | Backend = "numpy", *, dtype: str | None = None, device: str | None = None
) -> Backend:
    """Resolve a backend name, dtype and device to a :class:`Backend`.

    Parameters
    ----------
    backend : ``"numpy"`` (default, float64 reference) or ``"torch"``; a :class:`Backend` is
        returned unchanged.
    dtype : ``"float64"`` (default) or ``"float32"``.
    device : ``"cpu"`` (default) or, for torch, ``"cuda"``/``"cuda:N"``; NumPy is CPU only.
    """
    if isinstance(backend, Backend):
        return backend
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}; got {backend!r}")
    dtype = "float64" if dtype is None else str(dtype).replace("torch.", "")
    if dtype not in ("float64", "float32"):
        raise ValueError(f"dtype must be 'float64' or 'float32'; got {dtype!r}")
    device = "cpu" if device is None else str(device)
    if backend == "numpy":
        if device != "cpu":
            raise ValueError(f"device must be 'cpu' for the numpy backend; got {device!r}")
        return Backend(
            "numpy", array_api_compat.array_namespace(np.empty(0)), np.dtype(dtype), "cpu"
        )
    if not torch_available():
        raise ValueError(
            "backend='torch' needs PyTorch: pip install 'bn-orthogonality-theory[torch]'"
        )
    import torch

    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} requested but torch sees no CUDA device")
    if not (device == "cpu" or device.startswith("cuda")):
        raise ValueError(f"device must be 'cpu' or 'cuda[:N]'; got {device!r}")
    xp = array_api_compat.array_namespace(torch.empty(0))
    return Backend("torch", xp, getattr(torch, dtype), device)


def to_numpy(x: Any) -> np.ndarray:
    """A float64-or-native NumPy copy of ``x`` (tensors are detached and moved to the CPU)."""
    if isinstance(x, np.ndarray):
        return x
    if torch_available():
        import torch

        if isinstance(x, torch.Tensor):
            return x.detach().cpu().numpy()
    return np.asarray(x)


def namespace_of(x: Any) -> Any:
    """The Array API namespace of an array or tensor (NumPy for lists/scalars)."""
    if isinstance(x, (list, tuple, float, int)):
        x = np.asarray(x, dtype=np.float64)
    return array_api_compat.array_namespace(x)


def jsonable(x: Any) -> Any:
    """``x`` with NumPy scalars and arrays as Python numbers and lists, non-finite floats as
    their ``repr`` (JSON has no inf/NaN)."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return v if math.isfinite(v) else repr(v)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return x
