#!/usr/bin/env python3
"""The exact unit bootstrap distribution of Krippendorff's alpha, for checking
src/compute/alpha_bootstrap.rs independently (tests/agreement.rs uses the numbers this
prints).

Written separately from the Rust code: alpha from the pairable values by pairs
(D_o over all pairs within units, weighted 1/(m_u - 1); D_e over all pairs of values),
not from a coincidence matrix, and the bootstrap distribution by enumerating every
resample of the units (every multiset of N units drawn from N, with its multinomial
probability) instead of drawing at random. Run: python3 scripts/alpha_bootstrap_exact.py
"""
from fractions import Fraction
from itertools import combinations_with_replacement
from math import factorial
from collections import Counter

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers x 12
# units, None = missing. Published: nominal 0.743, ordinal 0.815, interval 0.849.
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
UNITS = [[r[u] for r in (A, B, C, D) if r[u] is not None] for u in range(12)]
UNITS = [u for u in UNITS if len(u) >= 2]


def delta2(a, b, metric, margins):
    if a == b:
        return 0.0
    if metric == "nominal":
        return 1.0
    if metric == "interval":
        return float(a - b) ** 2
    # ordinal: the values between a and b (ends counted half), by their margins
    lo, hi = min(a, b), max(a, b)
    between = sum(n for v, n in margins.items() if lo <= v <= hi)
    return (between - (margins[lo] + margins[hi]) / 2.0) ** 2


def alpha(units, metric):
    """Alpha of pairable units (lists of values): D_o from the pairs inside each unit
    (each weighted 1/(m_u - 1)), D_e from every pair of values; counted by value."""
    margins = Counter(x for u in units for x in u)
    n = sum(margins.values())
    if len(margins) < 2:
        return None
    d_o = 0.0
    for u in units:
        m = len(u)
        cu = Counter(u)
        for a, na in cu.items():
            for b, nb in cu.items():
                if a != b:
                    d_o += na * nb * delta2(a, b, metric, margins) / (m - 1)
    d_o /= n
    d_e = 0.0
    for a, na in margins.items():
        for b, nb in margins.items():
            if a != b:
                d_e += na * nb * delta2(a, b, metric, margins)
    d_e /= n * (n - 1)
    if d_e == 0:
        return None
    return 1.0 - d_o / d_e


def exact(metric, threshold=0.667):
    N = len(UNITS)
    total = N ** N
    dist = []  # (alpha, probability)
    skipped = Fraction(0)
    for combo in combinations_with_replacement(range(N), N):
        counts = Counter(combo)
        ways = factorial(N)
        for k in counts.values():
            ways //= factorial(k)
        p = Fraction(ways, total)
        a = alpha([UNITS[i] for i in combo], metric)
        if a is None:
            skipped += p
        else:
            dist.append((a, p))
    kept = 1 - skipped
    dist.sort()
    below = sum(p for a, p in dist if a < threshold) / kept

    def quantile(q):
        acc = Fraction(0)
        for a, p in dist:
            acc += p / kept
            if acc >= q:
                return a
        return dist[-1][0]

    return {
        "alpha": alpha(UNITS, metric),
        "p_below": float(below),
        "skipped": float(skipped),
        "q": {q: quantile(Fraction(q).limit_denominator(1000)) for q in
              (0.015, 0.025, 0.035, 0.965, 0.975, 0.985)},
    }


if __name__ == "__main__":
    for metric in ("ordinal", "interval"):
        r = exact(metric)
        print(metric, "alpha", round(r["alpha"], 6), "P(alpha<0.667)", round(r["p_below"], 6),
              "P(skipped)", round(r["skipped"], 8))
        for q, a in r["q"].items():
            print("  quantile", q, round(a, 6))
