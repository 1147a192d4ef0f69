#!/usr/bin/env python3
"""Independent reference values for the RDP accountant's tests (tests/AsymML.Tests/DifferentialPrivacy).

Uses only Debian's python3-mpmath and the standard library. A_alpha of the sampled Gaussian mechanism is computed
by numerical integration of its definition, A_alpha = E_{x~N(0,z^2)}[((1-q) + q*exp((2x-1)/(2z^2)))^alpha], at 30
digits: a different method from the series the C# code sums. erfc values come from Python's math.erfc (C library)
and mpmath.erfc. Run: /usr/bin/python3 scripts/privacy/rdp-reference.py
"""
import math
import mpmath

mpmath.mp.dps = 30


def log_a(q, z, alpha):
    q, z, alpha = mpmath.mpf(q), mpmath.mpf(z), mpmath.mpf(alpha)
    f = lambda x: mpmath.npdf(x, 0, z) * ((1 - q) + q * mpmath.exp((2 * x - 1) / (2 * z ** 2))) ** alpha
    # Split where the integrand peaks, so quad sees both tails.
    peak = alpha / 2 if alpha > 1 else 0
    value = mpmath.quad(f, [-mpmath.inf, 0, 0.5, peak, peak + 10 * z, mpmath.inf], maxdegree=10)
    return mpmath.log(value)


for q, z, alpha in [(1e-3, 1.0, 2.0), (0.01, 10.0, 20.0), (0.1, 2.0, 20.5), (0.04, 1.5, 7.3), (0.5, 0.8, 3.5)]:
    print(f"log A: q {q}, z {z}, alpha {alpha}: {mpmath.nstr(log_a(q, z, alpha), 12)}")
for x in [0.0, 0.5, 1.9, 2.1, 5.0, -1.3]:
    print(f"erfc({x}) = {math.erfc(x)!r} (mpmath {mpmath.nstr(mpmath.erfc(x), 17)})")
print(f"log erfc(30) = {mpmath.nstr(mpmath.log(mpmath.erfc(30)), 12)}")
