#!/usr/bin/env python3
"""Independent SSIM/PSNR values for the fixed cases of tests/AsymML.Tests/Privacy/Metrics.

Uses scikit-image (Debian: apt-get install python3-skimage) with Wang et al.'s standard settings:
Gaussian window sigma 1.5 (11x11 at skimage's truncate 3.5), K1 0.01, K2 0.03, population moments,
data range 1. A second, plain-numpy implementation (valid 11x11 correlation) checks the first.
Run: python3 scripts/privacy/ssim-reference.py
"""
import numpy as np
from skimage.metrics import structural_similarity, peak_signal_noise_ratio


def pattern(h, w, a, b, c, m):
    i, j = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    return ((a * i * i + b * j + c * i * j) % m) / (m - 1.0)


def distorted(x, h, w):
    i, j = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    return np.clip(0.8 * x + 0.1 + 0.05 * (((13 * i + 7 * j) % 5) - 2), 0.0, 1.0)


def numpy_ssim(x, y, L=1.0):
    g = np.exp(-((np.arange(11) - 5) ** 2) / (2 * 1.5 ** 2))
    win = np.outer(g, g) / g.sum() ** 2
    def filt(z):
        h, w = z.shape
        out = np.empty((h - 10, w - 10))
        for r in range(h - 10):
            for c in range(w - 10):
                out[r, c] = (z[r:r + 11, c:c + 11] * win).sum()
        return out
    mx, my = filt(x), filt(y)
    sxx, syy, sxy = filt(x * x) - mx * mx, filt(y * y) - my * my, filt(x * y) - mx * my
    c1, c2 = (0.01 * L) ** 2, (0.03 * L) ** 2
    s = (2 * mx * my + c1) * (2 * sxy + c2) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return s.mean()


def ski(x, y):
    return structural_similarity(x, y, data_range=1.0, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)


cases = {
    "pattern 16x20 vs distorted": (pattern(16, 20, 3, 5, 1, 23), distorted(pattern(16, 20, 3, 5, 1, 23), 16, 20)),
    "pattern 28x28 vs other pattern": (pattern(28, 28, 3, 5, 1, 23), pattern(28, 28, 1, 2, 3, 11)),
    "pattern 12x12 vs inverse": (pattern(12, 12, 2, 3, 1, 7), 1 - pattern(12, 12, 2, 3, 1, 7)),
}
for name, (x, y) in cases.items():
    a, b = ski(x, y), numpy_ssim(x, y)
    assert abs(a - b) < 1e-12, (name, a, b)
    print(f"{name}: SSIM {a:.15f} (numpy {b:.15f}), PSNR {peak_signal_noise_ratio(x, y, data_range=1.0):.12f}")
