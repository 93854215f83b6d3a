"""The MLP of paper Section 5: no batch normalisation, no bias, ReLU, constant width.

Depth convention: ``depth = L`` hidden layers.  Layer 1 maps the data dimension D to the width
w, layers 2..L map w to w, each followed by a ReLU; a linear readout maps w to the classes::

    h_0 = x,   h_l = relu(W_l h_{l-1})  (l = 1..L),   logits = W_out h_L.

``representation(x)`` returns ``h_L`` (the last hidden layer), whose orthogonality gap (Eq. 2)
is recorded.
"""

from __future__ import annotations

import torch
from torch import nn


class MLP(nn.Module):
    """Bias-free ReLU MLP with ``depth`` hidden layers of width ``width`` (no BN)."""

    def __init__(self, in_features: int, width: int, depth: int, num_classes: int) -> None:
        super().__init__()
        for name, v, lo in (
            ("in_features", in_features, 1),
            ("width", width, 1),
            ("depth", depth, 1),
            ("num_classes", num_classes, 2),
        ):
            if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                raise ValueError(f"{name} must be an integer >= {lo}; got {v!r}")
        sizes = [in_features] + [width] * depth
        self.hidden = nn.ModuleList(
            nn.Linear(sizes[i], sizes[i + 1], bias=False) for i in range(depth)
        )
        self.readout = nn.Linear(width, num_classes, bias=False)
        self.width, self.depth = width, depth

    def layer_inputs(self, x: torch.Tensor) -> list[torch.Tensor]:
        """``[h_0, ..., h_L]``: the input of every hidden layer (post-ReLU), then ``h_L``."""
        hs = [x]
        for lin in self.hidden:
            hs.append(torch.relu(lin(hs[-1])))
        return hs

    def representation(self, x: torch.Tensor) -> torch.Tensor:
        """``h_L`` (batch x width), the last hidden layer after its ReLU."""
        h = x
        for lin in self.hidden:
            h = torch.relu(lin(h))
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.readout(self.representation(x))


__all__ = ["MLP"]
