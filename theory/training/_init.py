r"""Initialisations of the MLP: the authors' protocol (notebook ``Figures_3_4.ipynb``), Eq. 6 as
printed, ablations, and this project's earlier Eq. 6 option with its "balanced" scale.

**The authors' protocol** (:func:`initialize`, :func:`svd_layer_weight`):

* ``"xavier"`` -- the baseline of every claim: ``xavier_uniform_`` with gain
  ``calculate_gain('relu') = sqrt 2`` on every layer, the first and the readout included.
* ``"authors"`` -- ``improved_init`` line by line: Xavier as above, then on 3 * width init
  samples (rows of H), for hidden layers 2..L, ``W = u[:w,:w] diag(1/s[:w]) v[:, :w]^T`` from the
  SVD of the post-ReLU input ``H = u diag(s) v^T`` (Sigma^-1; the row slice of u is not
  orthogonal), then ``W / ||H W^T||_F`` (unit Frobenius norm of the layer output on the init
  batch).  First layer and readout keep their Xavier weights.  Inputs ``(x - 0.5)/0.5``.
* ``"eq6"`` -- Eq. 6 as printed: Sigma^{-1/2}, a Haar-orthogonal V', the same rescaling (which
  is Eq. 6's own ``1/||Sigma^{1/2}||_F``), first layer and readout Xavier.
* Ablation flags (:data:`FLAGS`, :data:`ABLATIONS`), one at a time: ``exponent`` (1, 1/2,
  -1/2), ``vprime`` (row-slice, orthogonal), ``rescale`` (unit-frobenius, unit-entry, none),
  ``first`` (xavier, orthogonalised), ``svd`` (yes, no: Xavier weights with the same rescaling),
  ``damp`` (1, 1/2: every hidden layer halved afterwards -- a weakened control with the same
  gaps).  Named controls: ``"sigma-plus-half"`` (exponent -1/2, orthogonal V'),
  ``"authors-unit-entry"``, ``"authors-damped"``, ``"no-svd"``.
* ``"xavier-glorot"``: Glorot's gain-1 ``xavier_normal_`` (this project's earlier baseline; not
  the baseline of any claim).

**The earlier option** ``"eq6-balanced"`` (everything below is about it): iterative
orthogonalization (paper Section 5.2, Eq. 6; arXiv v1 App. E), layer by layer on
one large batch of real inputs ``X_init`` (n samples; the authors' notebooks use n = 3 * width):

* The *input of layer l* is ``H_{l-1}``, the post-ReLU output of layer l-1 on the init batch
  (``H_0 = X_init^T``), as a (d_in x n) matrix: features x samples.  ``W_l`` is computed from
  its SVD ``H_{l-1} = U \Sigma V^T``; then the pre-activation ``W_l H_{l-1}`` has the smaller gap
  ``V(W_l H_{l-1})^2 = \sum s_i^2/(\sum s_i)^2 - 1/n < V(H_{l-1})^2`` (the property is about the
  linear step, i.e. *before* the ReLU; the ReLU then raises the gap again and the next layer
  lowers it).  Layers are initialised in order, each from the representation produced by the
  already-initialised layers below it.
* The Eq. 6 factor ``V' \Sigma^{-1/2} U^T / \|\Sigma^{1/2}\|_F`` is
  :func:`theory.orthogonalize.orthogonalizing_weight` (k x d_in, k = rank of H = min(d_in, n)).
  The layer needs ``width`` rows: ``W_l = g \, Q \, W_{eq6}`` with ``Q`` a Haar-random
  width x k matrix with orthonormal columns.  ``Q^T Q = I_k``, so ``(W_l H)^T (W_l H)`` and the
  identity above are unchanged; for width = k, ``Q`` is a Haar orthogonal matrix and plays the
  role of Eq. 6's ``V'`` (any orthogonal matrix is allowed; a random one makes seeds differ).
  When the rank r of H is below min(d_in, n) (e.g. constant input features) or above the width
  (e.g. CIFAR-10's 3072 inputs into width 800), Eq. 6 is applied to the projection
  ``U_r^T H`` onto the top-r left singular vectors, r = min(rank, width); only in the second case
  is the exact identity lost (the bottom k - r directions are dropped).
* **Scale.** Eq. 6 as printed gives ``\|W_l H\|_F = 1`` over the n init samples, i.e. per-entry
  mean square ``1/(n \cdot width)`` (for width 800, n = 2400: entries ~ 7e-4).  That scale is
  exactly preserved from layer to layer (each layer renormalises), so it never explodes or
  vanishes with depth, but it is tiny in absolute terms and makes the readout's logits ~ 0.
  ``scale="unit-entry"``: multiply by ``g = \sqrt{n \cdot width}``, so that
  ``\|W_l H\|_F^2 = n \cdot width`` -- every pre-activation entry has mean square 1 on the init
  batch, at every layer (the normalisation the authors' code does by rescaling with the layer
  output's norm, up to this constant).  ``scale="eq6"`` keeps the printed normalisation.  V is
  scale-invariant, so the gap identity is the same under both.
* **Why the default is** ``scale="balanced"``.  A ReLU output ``relu(z)`` of a near-isotropic
  ``z`` has a mean: ``E[relu(z)]^2 / E[relu(z)^2] = 1/\pi``, a spike of ~1/pi of the energy along
  one direction of H.  That mean is what makes samples correlated, and Eq. 6's
  ``\Sigma^{-1/2}`` suppresses it: the forward signal of the next layer loses that share, while a
  back-propagated gradient (isotropic with respect to H's singular directions) sees the bulk
  gain.  With the forward scale held fixed by any per-layer normalisation, the gradient
  therefore grows by ``\rho = \sqrt{\pi/(\pi-1)} \approx 1.21`` per layer going down
  (:data:`EQ6_RELU_GRADIENT_GROWTH`; measured 1.18-1.20 at width 64-256 on digits, ~1.0 for
  the no-SVD ablation), so the first layer's relative gradient is ``\rho^L`` times the last
  one's: 5e3 at L = 40.  No *common* scale changes that ratio, and plain SGD at lr 0.01
  diverges beyond depth ~30 under ``"unit-entry"``, ``"unit-sample"`` and ``"eq6"`` (measured
  on digits, width 64).  ``"balanced"`` uses the freedom a bias-free ReLU network has: scaling
  layer l by ``c_l > 0`` multiplies the function by ``\prod c_l`` and leaves every
  representation's *direction* -- hence every gap V, and the Eq. 6 identity -- unchanged.  After
  the unit-entry Eq. 6 weights, on a held-out *scale batch* of training samples:

  1. each layer is rescaled so its pre-activation has mean square 1 on the scale batch (the
     authors' output-norm rescaling, done out of sample: on the init batch itself the whitening
     overfits and fresh samples grow by ~1.06x per layer at n = 3 width);
  2. with ``r_l = \|\nabla_{W_l} \ell\|_F / \|W_l\|_F`` the relative gradients of the
     cross-entropy on the scale batch (``r_o``: the readout's), every layer is multiplied by a
     factor ``c_l \propto r_l^{1/2}`` (:func:`balance_layers`), which to first order (softmax
     gradient held fixed) gives every layer the same relative gradient ``r_o / \sqrt{L+1}``:
     the squared relative gradients of all L + 1 layers sum to the readout's ``r_o^2``, so the
     whole network takes the relative step the readout alone would take, whatever the depth.
     (A first version gave every layer the rate ``r_o`` itself; the network's step then grows
     with L, and width-800 depth-45 runs on digits diverged in epoch 2.)  The product ``C`` of
     the factors (the factor on the logits) is < 1 for deep nets, so deep nets start near the
     uniform prediction; it is capped at 1 (never amplify the logits), in which case the
     common rate is the geometric mean of the ``r_l``.

  This keeps plain SGD at lr 0.01 finite at every depth tested (digits: widths 32..128 at depths
  1..75, width 800 at 15..45) but does not make deep Eq. 6 networks train fast: see the README's
  training findings.
* ``variant="eq6"`` (default) is Eq. 6 as printed (``\Sigma^{-1/2}``, orthogonal ``V'``): the
  variant whose gap identity is proved.  ``variant="authors"`` is the authors' MLP notebook code
  (``\Sigma^{-1}``, a non-orthogonal row slice of V), offered for comparison.

**Xavier** (Glorot & Bengio 2010, the paper's baseline): i.i.d. ``N(0, 2/(fan_in + fan_out))``
entries (``torch.nn.init.xavier_normal_``, gain 1), for every hidden layer.

The readout layer is Xavier under every init.

``"orthogonal-plain"``: Haar-random orthogonal weights with gain 1 (Saxe et al. 2014), no data,
no rescaling -- iterative orthogonalization with both the SVD step and the data-dependent scale
skipped (a negative control of the training claim).

``"sigma-plus-half"``: the planted wrong exponent ``W_l = g Q \Sigma^{+1/2} U^T`` (negative
control of the gap claim): ``W H = g Q \Sigma^{3/2} V^T`` *sharpens* the spectrum, so by the
reverse of the Hoelder argument ``V(W H) >= V(H)``: the representation collapses faster.

**Ablation** ``"no-svd"``: iterative orthogonalization with the SVD step skipped --
``W_l = g Q_l`` with ``Q_l`` Haar-random with orthonormal rows/columns (a plain orthogonal
init), rescaled from the init batch exactly like the default (``\|W_l H\|_F^2 = n \cdot width``).
Without the ``\Sigma^{-1/2} U^T`` factor the spectrum of H is not flattened, so the ReLU network
is not orthogonalized (paper §5.2: orthogonal weights do not keep representations orthogonal
under non-linear activations).
"""

from __future__ import annotations

import math

import torch

from ..orthogonalize import orthogonalizing_weight
from ._model import MLP

#: the named inits (see :data:`INIT_SPECS` and the module docstring); a data-dependent one may be
#: followed by ablation flags, ``"authors+exponent=1/2+vprime=orthogonal"`` (:func:`parse_init`)
INITS = (
    "xavier",
    "authors",
    "eq6",
    "no-svd",
    "authors-unit-entry",
    "sigma-plus-half",
    "authors-damped",
    "xavier-glorot",
    "eq6-balanced",
    "orthogonal-plain",
)
LAYER_VARIANTS = ("eq6", "authors", "no-svd", "sigma-plus-half")
SCALES = ("balanced", "unit-entry", "unit-sample", "eq6", "he-frobenius")
#: ablation flags of the SVD-based inits: flag -> allowed values (first: the authors' choice)
FLAGS: dict[str, tuple[str, ...]] = {
    "exponent": ("1", "1/2", "-1/2"),
    "vprime": ("row-slice", "orthogonal"),
    "rescale": ("unit-frobenius", "unit-entry", "none"),
    "first": ("xavier", "orthogonalised"),
    "svd": ("yes", "no"),
    "damp": ("1", "1/2"),
}
#: named SVD-based inits: their flags (every unnamed flag takes the authors' value)
INIT_SPECS: dict[str, dict[str, str]] = {
    "authors": {},
    "eq6": {"exponent": "1/2", "vprime": "orthogonal"},
    "no-svd": {"svd": "no"},
    "authors-unit-entry": {"rescale": "unit-entry"},
    "sigma-plus-half": {"exponent": "-1/2", "vprime": "orthogonal"},
    "authors-damped": {"damp": "1/2"},
}
#: the ablation table: one flag of the authors' init changed at a time
ABLATIONS: dict[str, str] = {
    "authors": "the notebook's improved_init (Sigma^-1, row slice of u, unit-Frobenius rescale)",
    "authors+exponent=1/2": "Sigma^{-1/2} (Eq. 6's exponent) instead of Sigma^{-1}",
    "authors+vprime=orthogonal": "a Haar-orthogonal V' instead of the row slice u[:w, :w]",
    "authors+rescale=unit-entry": "rescaled to unit mean-square entries (x sqrt(n w)) instead",
    "authors+rescale=none": "no rescaling after the SVD step",
    "authors+first=orthogonalised": "the first layer orthogonalised too (instead of Xavier)",
    "authors+svd=no": "the SVD step skipped: Xavier weights, same unit-Frobenius rescale",
    "eq6": "Eq. 6 as printed: Sigma^{-1/2} and orthogonal V' (two flags changed)",
}
#: sqrt(pi / (pi - 1)): the per-layer growth of back-propagated gradients, relative to the
#: forward signal, under Eq. 6 followed by a ReLU (wide-layer limit; see the module docstring)
EQ6_RELU_GRADIENT_GROWTH = math.sqrt(math.pi / (math.pi - 1.0))
RELU_GAIN = math.sqrt(2.0)  #: torch.nn.init.calculate_gain("relu")


def parse_init(init: str) -> tuple[str, dict[str, str] | None]:
    """``"name[+flag=value...]"`` -> (name, the full flag dict of an SVD-based init, or None for
    a data-free or legacy init).  Raises ``ValueError`` naming the bad part."""
    if not isinstance(init, str) or not init:
        raise ValueError(f"init must be a non-empty string; got {init!r}")
    name, *mods = init.split("+")
    if name not in INITS:
        raise ValueError(f"init must be one of {INITS} (plus flags); got {init!r}")
    if name not in INIT_SPECS:
        if mods:
            raise ValueError(f"init {name!r} takes no ablation flags; got {init!r}")
        return name, None
    spec = {k: v[0] for k, v in FLAGS.items()} | INIT_SPECS[name]
    for m in mods:
        k, eq, v = m.partition("=")
        if not eq or k not in FLAGS or v not in FLAGS[k]:
            raise ValueError(
                f"init flag must be one of {', '.join(f'{a}={b}' for a, b in FLAGS.items())}; "
                f"got {m!r} in {init!r}"
            )
        spec[k] = v
    return name, spec


def check_init(init: str) -> str:
    """``init`` if :func:`parse_init` accepts it (else ``ValueError``)."""
    parse_init(init)
    return init


def _haar(rows: int, cols: int, gen: torch.Generator, dtype, device) -> torch.Tensor:
    """A Haar-random rows x cols matrix with orthonormal columns (rows >= cols) or rows."""
    big, small = max(rows, cols), min(rows, cols)
    G = torch.randn(big, small, generator=gen, dtype=dtype, device="cpu").to(device)
    Q, R = torch.linalg.qr(G)
    Q = Q * torch.sign(torch.diagonal(R))[None, :]  # Haar (Mezzadri 2007)
    return Q if rows >= cols else Q.T


def layer_weight(
    H: torch.Tensor,
    out_features: int,
    *,
    variant: str = "eq6",
    scale: str = "unit-entry",
    gen: torch.Generator,
) -> torch.Tensor:
    r"""One layer of iterative orthogonalization from its input ``H`` (d_in x n, features x
    samples): ``W = g Q W_{eq6}(H)`` (out_features x d_in), see the module docstring.

    ``variant``: ``"eq6"``, ``"authors"`` or ``"no-svd"`` (negative control: ``W = g Q``).
    ``g`` makes ``\|W H\|_F^2 = n \cdot out`` (``scale="unit-entry"``, and ``"balanced"``, whose
    network-level step is done by :func:`initialize`) or ``= 1`` (``"eq6"``).
    """
    if variant not in LAYER_VARIANTS:
        raise ValueError(f"variant must be one of {LAYER_VARIANTS}; got {variant!r}")
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}; got {scale!r}")
    if H.ndim != 2:
        raise ValueError(f"H must be a (d_in, n) matrix; got shape {tuple(H.shape)}")
    H = H.to(torch.float64)
    d, n = H.shape
    if variant == "no-svd":
        W = _haar(out_features, d, gen, H.dtype, H.device)
    else:
        U, s, _ = torch.linalg.svd(H, full_matrices=False)
        tol = max(d, n) * torch.finfo(H.dtype).eps * s[0]
        rank = int((s > tol).sum())
        if rank == 0:
            raise ValueError("H must be nonzero: the layer input is all zeros on the init batch")
        r = min(rank, out_features)
        if variant == "sigma-plus-half":  # planted wrong exponent: Q Sigma^{+1/2} U^T
            Wc = torch.sqrt(s[:r])[:, None] * U[:, :r].T
        elif r < min(d, n):
            P = U[:, :r].T  # project on the top-r left singular subspace
            Wc = orthogonalizing_weight(P @ H, variant=variant) @ P
        else:
            Wc = orthogonalizing_weight(H, variant=variant)
        W = _haar(out_features, Wc.shape[0], gen, H.dtype, H.device) @ Wc
    if scale == "he-frobenius":
        return W * (math.sqrt(2.0 * out_features) / torch.linalg.matrix_norm(W))
    norm = torch.linalg.matrix_norm(W @ H)
    if not bool(torch.isfinite(norm)) or float(norm) == 0.0:
        raise ValueError("W H is zero or not finite on the init batch; cannot set the scale")
    target = {
        "balanced": math.sqrt(n * out_features),
        "unit-entry": math.sqrt(n * out_features),
        "unit-sample": math.sqrt(n),
        "eq6": 1.0,
    }[scale]
    return W * (target / norm)


def svd_layer_weight(
    H: torch.Tensor,
    out_features: int,
    *,
    exponent: str = "1",
    vprime: str = "row-slice",
    rescale: str = "unit-frobenius",
    gen: torch.Generator | None = None,
) -> torch.Tensor:
    r"""One layer of the authors' ``improved_init`` (notebook ``Figures_3_4.ipynb``) from its
    input ``H`` (n x d_in: **samples are rows**, as in the notebook), float64.

    With the thin SVD ``H = u \, \mathrm{diag}(s) \, v^T`` (u: n x k, k = min(n, d_in)) and
    ``r = min(rank H, out)``: ``W = A \, \mathrm{diag}(s_{1..r}^{-p}) \, v_{:, 1..r}^T``
    (out x d_in), with ``p = 1`` (``exponent="1"``, the notebook), ``1/2`` (Eq. 6) or ``-1/2``
    (the planted wrong sign), and ``A = u[:out, :r]`` (``vprime="row-slice"``, the notebook: the
    first ``out`` samples' rows of u, **not** orthogonal) or a Haar-random out x r matrix with
    orthonormal columns (``"orthogonal"``: Eq. 6's V').  The pre-activation on the init batch is
    then ``H W^T = u_{:, 1..r} \mathrm{diag}(s^{1-p}) A^T``.  ``rescale``: divide W by
    ``\|H W^T\|_F`` (``"unit-frobenius"``: the notebook's ``w / torch.norm(layer(H))``, which
    is also Eq. 6's own ``1/\|\Sigma^{1/2}\|_F`` normalisation), multiply by
    ``\sqrt{n \cdot out} / \|H W^T\|_F`` (``"unit-entry"``: mean-square-1 entries) or keep
    (``"none"``).  The notebook needs ``rank H >= out`` (else 1/0); a lower rank (e.g. the first
    layer on 64 digit pixels) keeps the top r directions.
    """
    if exponent not in FLAGS["exponent"]:
        raise ValueError(f"exponent must be one of {FLAGS['exponent']}; got {exponent!r}")
    if vprime not in FLAGS["vprime"]:
        raise ValueError(f"vprime must be one of {FLAGS['vprime']}; got {vprime!r}")
    if rescale not in FLAGS["rescale"]:
        raise ValueError(f"rescale must be one of {FLAGS['rescale']}; got {rescale!r}")
    if H.ndim != 2:
        raise ValueError(f"H must be an (n, d_in) matrix; got shape {tuple(H.shape)}")
    if isinstance(out_features, bool) or not isinstance(out_features, int) or out_features < 1:
        raise ValueError(f"out_features must be an integer >= 1; got {out_features!r}")
    H = H.to(torch.float64)
    n, d = H.shape
    u, s, vh = torch.linalg.svd(H, full_matrices=False)
    if not bool(torch.isfinite(s).all()):
        raise ValueError("H must be finite: the layer input is not finite on the init batch")
    tol = max(n, d) * torch.finfo(H.dtype).eps * (float(s[0]) if s.numel() else 0.0)
    rank = int((s > tol).sum())
    if rank == 0:
        raise ValueError("H must be nonzero: the layer input is all zeros on the init batch")
    r = min(rank, out_features)
    p = {"1": 1.0, "1/2": 0.5, "-1/2": -0.5}[exponent]
    if vprime == "row-slice":
        if n < out_features:
            raise ValueError(
                f"the row slice u[:out, :] needs n >= out samples; got n={n} < out={out_features}"
            )
        A = u[:out_features, :r]
    else:
        if gen is None:
            raise ValueError("gen (a torch.Generator) is required for vprime='orthogonal'")
        A = _haar(out_features, r, gen, H.dtype, H.device)
    W = (A * (s[:r] ** -p)[None, :]) @ vh[:r, :]
    return _rescale(W, H, rescale)


def _rescale(W: torch.Tensor, H: torch.Tensor, rescale: str) -> torch.Tensor:
    if rescale == "none":
        return W
    norm = torch.linalg.matrix_norm(H @ W.T)
    if not bool(torch.isfinite(norm)) or float(norm) == 0.0:
        raise ValueError("H W^T is zero or not finite on the init batch; cannot rescale")
    target = 1.0 if rescale == "unit-frobenius" else math.sqrt(H.shape[0] * W.shape[0])
    return W * (target / norm)


def xavier_uniform(
    shape: tuple[int, int], gen: torch.Generator, gain: float = RELU_GAIN
) -> torch.Tensor:
    r"""``torch.nn.init.xavier_uniform_`` with an explicit generator: i.i.d.
    ``U(-a, a)``, ``a = gain \sqrt{6 / (fan_{in} + fan_{out})}`` (variance
    ``gain^2 \cdot 2 / (fan_{in} + fan_{out})``), ``shape = (fan_out, fan_in)``, float32.
    The authors' ``xavier_init`` uses ``gain = calculate_gain('relu') = sqrt(2)``."""
    fan_out, fan_in = shape
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(shape, generator=gen, dtype=torch.float32) * 2.0 - 1.0) * a


@torch.no_grad()
def initialize(
    model: MLP,
    init: str,
    *,
    X_init: torch.Tensor | None = None,
    seed: int = 0,
    scale: str = "balanced",
    X_scale: torch.Tensor | None = None,
    y_scale: torch.Tensor | None = None,
) -> MLP:
    """Initialise ``model`` in place.  ``init``: a name of :data:`INITS`, optionally with
    ablation flags (:func:`parse_init`); the data-dependent inits need ``X_init`` (n x D, one
    sample per row; the notebook uses n = 3 width).

    * ``"xavier"`` (the authors' baseline, ``xavier_init``): every layer, the first and the
      readout included, ``xavier_uniform_`` with gain sqrt(2) (:func:`xavier_uniform`).
    * ``"authors"`` and its flag variants (``"eq6"``, ``"no-svd"``, ...): first the Xavier init
      above (the notebook's ``mynet.apply(xavier_init)``, same generator draws as ``"xavier"``
      at the same seed), then layer by layer on the init batch, for hidden layers 2..L (and
      layer 1 with ``first=orthogonalised``): :func:`svd_layer_weight` of the post-ReLU output of
      the layer below (``svd=no``: the Xavier weight, rescaled by the same rule).  The readout
      keeps Xavier.
    * ``"xavier-glorot"``: Glorot's gain-1 ``xavier_normal_`` on every layer (this project's
      earlier baseline; not a baseline of any claim).
    * ``"eq6-balanced"``: Eq. 6 with this project's scale rule ``scale`` (``"balanced"``
      needs the held-out ``X_scale``, ``y_scale``; see the module docstring), every hidden layer
      orthogonalised, Glorot readout.
    * ``"orthogonal-plain"``: Haar orthogonal hidden weights, gain 1, Glorot readout.
    """
    name, spec = parse_init(init)
    gen = torch.Generator().manual_seed(int(seed) % (2**63))
    dev = model.readout.weight.device

    def glorot(lin: torch.nn.Linear) -> None:
        fan_out, fan_in = lin.weight.shape
        std = math.sqrt(2.0 / (fan_in + fan_out))
        w = torch.randn(lin.weight.shape, generator=gen, dtype=torch.float32) * std
        lin.weight.copy_(w.to(dev))

    if name in ("xavier", *INIT_SPECS):
        for lin in [*model.hidden, model.readout]:
            lin.weight.copy_(xavier_uniform(tuple(lin.weight.shape), gen).to(dev))
        if name == "xavier":
            return model
        return _svd_init(model, spec, X_init, gen)
    glorot(model.readout)
    if name == "orthogonal-plain":  # Saxe et al. 2014: Haar orthogonal, gain 1, no data
        for lin in model.hidden:
            Q = _haar(lin.out_features, lin.in_features, gen, torch.float64, "cpu")
            lin.weight.copy_(Q.to(lin.weight.dtype).to(dev))
        return model
    if name == "xavier-glorot":
        for lin in model.hidden:
            glorot(lin)
        return model
    # "eq6-balanced": the earlier module's Eq. 6 with a project-specific scale rule
    _check_x_init(model, X_init, init)
    H = X_init.to(device=dev, dtype=torch.float64).T  # d_in x n
    if scale == "balanced":
        if X_scale is None or y_scale is None:
            raise ValueError(
                f"X_scale and y_scale (a held-out labelled batch) are required for "
                f"scale='balanced' with init={init!r}"
            )
        if X_scale.ndim != 2 or X_scale.shape[1] != X_init.shape[1] or X_scale.shape[0] < 2:
            raise ValueError(
                f"X_scale must have shape (m >= 2, {X_init.shape[1]}); got {tuple(X_scale.shape)}"
            )
        if y_scale.shape != (X_scale.shape[0],):
            raise ValueError(
                f"y_scale must have shape ({X_scale.shape[0]},); got {tuple(y_scale.shape)}"
            )
    for lin in model.hidden:
        W = layer_weight(H, lin.out_features, variant="eq6", scale=scale, gen=gen)
        lin.weight.copy_(W.to(lin.weight.dtype))
        H = torch.relu(W @ H)
    if scale == "balanced":
        balance_layers(model, X_scale.to(dev), y_scale.to(dev))
    return model


def _check_x_init(model: MLP, X_init: torch.Tensor | None, init: str) -> None:
    if X_init is None:
        raise ValueError(f"X_init (the init batch) is required for init={init!r}")
    if X_init.ndim != 2 or X_init.shape[1] != model.hidden[0].in_features:
        raise ValueError(
            f"X_init must have shape (n, {model.hidden[0].in_features}); got {tuple(X_init.shape)}"
        )


def _svd_init(
    model: MLP, spec: dict[str, str], X_init: torch.Tensor | None, gen: torch.Generator
) -> MLP:
    """The notebook's improved_init loop on top of the Xavier weights (``initialize``)."""
    _check_x_init(model, X_init, "authors")
    dev = model.readout.weight.device
    H = X_init.to(device=dev, dtype=torch.float64)  # n x d_in, samples are rows
    for i, lin in enumerate(model.hidden):
        if i > 0 or spec["first"] == "orthogonalised":
            if spec["svd"] == "no":
                W = _rescale(lin.weight.to(torch.float64), H, spec["rescale"])
            else:
                W = svd_layer_weight(
                    H,
                    lin.out_features,
                    exponent=spec["exponent"],
                    vprime=spec["vprime"],
                    rescale=spec["rescale"],
                    gen=gen,
                )
            lin.weight.copy_(W.to(lin.weight.dtype))
        # the notebook's float32 layer: H = relu(layer(H)) with the stored weights
        H = torch.relu(H @ lin.weight.to(torch.float64).T)
    if spec["damp"] == "1/2":  # a weakened control: every hidden layer x 1/2 afterwards
        for lin in model.hidden:
            lin.weight.mul_(0.5)
    return model


def relative_gradients(model: MLP, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""``r_l = \|\nabla_{W_l} \ell\|_F / \|W_l\|_F`` for the hidden layers l = 1..L, then the
    readout: the cross-entropy ``\ell`` of ``model`` on the batch ``(X, y)``, float64."""
    params = [lin.weight for lin in model.hidden] + [model.readout.weight]
    with torch.enable_grad():
        loss = torch.nn.functional.cross_entropy(model(X.to(params[0].dtype)), y)
        grads = torch.autograd.grad(loss, params)
    return torch.stack(
        [
            torch.linalg.matrix_norm(g.to(torch.float64))
            / torch.linalg.matrix_norm(p.detach().to(torch.float64))
            for g, p in zip(grads, params)
        ]
    )


@torch.no_grad()
def balance_layers(model: MLP, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""The network step of ``scale="balanced"`` (module docstring), in place, on the held-out
    batch ``(X, y)``: (1) each hidden layer is rescaled so its pre-activation has mean square 1
    on X; (2) with ``r_i`` the relative gradients of the L + 1 layers (readout last, ``r_o``) and
    ``G`` their geometric mean, layer i is multiplied by ``c_i = (r_i K)^{1/2}``,
    ``K = C^{2/(L+1)} / G``, ``C = \min(1, (r_*/G)^{(L+1)/(L-1)})`` (``C = 1`` for L = 1),
    ``r_* = r_o / \sqrt{L+1}``: to first order every layer then has the relative gradient
    ``\min(r_*, G)`` -- the squared relative gradients of the L + 1 layers sum to at most
    ``r_o^2``, the readout's own -- and the logits are multiplied by ``C = \prod_i c_i \le 1``.
    Positive per-layer factors: every representation's direction, hence every orthogonality gap,
    is unchanged.  Returns ``c`` (hidden..., readout)."""
    h = X.to(model.readout.weight.dtype)
    for l, lin in enumerate(model.hidden, start=1):
        ms = lin(h).to(torch.float64).pow(2).mean()
        if not bool(torch.isfinite(ms)) or float(ms) == 0.0:
            raise ValueError(
                f"layer {l}'s pre-activation is zero or not finite on the scale batch X_scale; "
                "cannot set the scale"
            )
        lin.weight.mul_(float(ms.rsqrt()))
        h = torch.relu(lin(h))
    L = model.depth
    r = relative_gradients(model, X, y)
    if not bool(torch.isfinite(r).all()) or bool((r <= 0).any()):
        raise ValueError(
            "a layer has a zero or non-finite gradient on the scale batch (e.g. every ReLU unit "
            "of a layer is inactive); cannot balance the layers"
        )
    # c_i = (r_i K)^{1/2} for all L + 1 layers gives every layer the relative gradient C / K
    # (first order), with C = prod c_i = (K G)^{(L+1)/2}, G the geometric mean of all r_i:
    # the common rate is G C^{(L-1)/(L+1)}.  C is set so the rate is r_o / sqrt(L + 1), unless
    # that would amplify the logits (shallow nets; and L = 1, where C leaves the rate at G).
    r_o, G = r[-1], torch.exp(torch.log(r).mean())
    target = r_o / math.sqrt(L + 1)  # sum of the L + 1 squared relative gradients = r_o^2
    C = torch.clamp((target / G) ** ((L + 1) / (L - 1)), max=1.0) if L > 1 else torch.ones(())
    K = C ** (2.0 / (L + 1)) / G
    c = torch.sqrt(r * K)
    for lin, ci in zip([*model.hidden, model.readout], c.tolist()):
        lin.weight.mul_(ci)
    return c


__all__ = [
    "ABLATIONS",
    "EQ6_RELU_GRADIENT_GROWTH",
    "FLAGS",
    "INITS",
    "INIT_SPECS",
    "RELU_GAIN",
    "SCALES",
    "check_init",
    "parse_init",
    "svd_layer_weight",
    "xavier_uniform",
    "balance_layers",
    "initialize",
    "layer_weight",
    "relative_gradients",
]
