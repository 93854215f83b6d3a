"""Figures recorded by checks (``extra["figure"]``) -> inline SVG, drawn with matplotlib.

Schema (see each check): ``{"id", "title", "caption", "type": "lines" | "heatmap", ...}``;
"lines": ``x``, ``series`` [{label, y, lo, hi, style: data|claim|fit}], ``xlabel``, ``ylabel``,
``logx``, ``logy``; "heatmap": ``x``, ``y``, ``z`` (rows = y), ``zlabel``, ``overlays``
[{label, x, y}].  Series may carry their own ``x``.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np

_STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",  # glyphs as paths: no font files, no requests
    "figure.dpi": 100,
}


def _num(v: Any) -> np.ndarray:
    def conv(x: Any) -> float:
        if x is None:
            return np.nan
        if isinstance(x, str):
            try:
                return float(x)
            except ValueError:
                return np.nan
        return float(x)

    return np.array([conv(x) for x in v], dtype=float)


def _lines(ax: Any, fig: dict[str, Any]) -> None:
    x0 = fig.get("x")
    for i, s in enumerate(fig.get("series", [])):
        x = _num(s.get("x", x0))
        y = _num(s["y"])
        style = s.get("style", "data")
        color = s.get("color") or f"C{i % 10}"
        if style == "claim":
            ax.plot(
                x,
                y,
                "--",
                color="k" if len(fig["series"]) < 3 else color,
                lw=1.2,
                label=s.get("label"),
            )
        elif style == "fit":
            ax.plot(x, y, ":", color=color, lw=1.4, label=s.get("label"))
        else:
            ax.plot(x, y, "-o", color=color, ms=2.5, lw=1.2, label=s.get("label"))
            if s.get("lo") is not None and s.get("hi") is not None:
                ax.fill_between(x, _num(s["lo"]), _num(s["hi"]), color=color, alpha=0.2, lw=0)
    if fig.get("logx"):
        ax.set_xscale("log")
        xs = _num(x0) if x0 is not None else np.array([])
        if 0 < xs.size <= 12:
            from matplotlib.ticker import NullFormatter

            ax.set_xticks(xs, [f"{v:g}" for v in xs])
            ax.xaxis.set_minor_formatter(NullFormatter())
    if fig.get("logy"):
        ax.set_yscale("log")
    ax.legend(frameon=False)


def _heatmap(ax: Any, fig: dict[str, Any]) -> None:
    x, y, z = _num(fig["x"]), _num(fig["y"]), np.array(fig["z"], dtype=float)
    im = ax.pcolormesh(
        np.arange(x.size + 1),
        np.arange(y.size + 1),
        z,
        cmap="Blues",
        shading="flat",
        vmin=np.nanmin(z),
        vmax=np.nanmax(z),
    )
    ax.set_xticks(np.arange(x.size) + 0.5, [f"{v:g}" for v in x], rotation=90)
    ax.set_yticks(np.arange(y.size) + 0.5, [f"{v:g}" for v in y])
    cb = ax.figure.colorbar(im, ax=ax)
    cb.set_label(fig.get("zlabel", ""))
    for j, ov in enumerate(fig.get("overlays", [])):
        ox, oy = _num(ov["x"]), _num(ov["y"])
        # overlays are in data units: map to cell coordinates by interpolation on the axes
        px = np.interp(ox, x, np.arange(x.size) + 0.5) if x.size > 1 else ox * 0 + 0.5
        py = np.interp(oy, y, np.arange(y.size) + 0.5, left=np.nan, right=np.nan)
        ax.plot(
            px,
            py,
            ["-", "--", ":"][j % 3],
            color=["C3", "C1", "C2"][j % 3],
            lw=1.5,
            label=ov.get("label"),
        )
    if fig.get("overlays"):
        ax.legend(frameon=False, loc="upper left")


def figure_svg(fig: dict[str, Any]) -> str:
    """Render one figure dict to an inline ``<svg>`` string (no XML prolog, no external refs)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    with plt.rc_context(_STYLE):
        f, ax = plt.subplots(figsize=(5.2, 3.4) if fig.get("type") != "heatmap" else (5.6, 4.2))
        try:
            if fig.get("type") == "heatmap":
                _heatmap(ax, fig)
            else:
                _lines(ax, fig)
            ax.set_xlabel(fig.get("xlabel", ""))
            ax.set_ylabel(fig.get("ylabel", ""))
            ax.set_title(fig.get("title", ""))
            f.tight_layout()
            buf = io.StringIO()
            f.savefig(buf, format="svg")
        finally:
            plt.close(f)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
