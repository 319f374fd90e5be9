#!/usr/bin/env python3
"""An independent check of the quadratic-weighted kappa of `policy-workbench feedback`
(src/teaching/kappa.rs): Cohen's confusion-matrix formula with weights (i - j)^2 over
every level of the scale, written with the standard library only, and scikit-learn's
cohen_kappa_score(weights="quadratic", labels=...) when it is installed
(Debian: apt-get install python3-sklearn).

Each case is one the Rust tests assert: tests/teaching_cli.rs and the unit tests of
src/teaching/kappa.rs. Run: python3 scripts/kappa_check.py
"""

CASES = [
    # (name, student, reference, scale min, scale max, the value the Rust tests expect)
    ("kappa.rs hand-computed case", [1, 2, 3, 4], [2, 2, 3, 3], 0, 4, 2 / 3),
    ("kappa.rs reversed scores", [0, 4], [4, 0], 0, 4, -1.0),
    ("kappa.rs twelve pairs", [0, 1, 2, 3, 4, 2, 3, 1, 0, 4, 2, 2],
     [0, 2, 2, 4, 3, 2, 1, 1, 1, 4, 3, 2], 0, 4, 28 / 37),
    ("kappa.rs a 1-5 scale", [1, 2, 3, 4, 5, 3], [2, 2, 3, 5, 5, 1], 1, 5, 0.75),
    ("teaching_cli.rs key, student s1", [4, 3, 1, 3], [4, 2, 4, 4], 0, 4, -0.1),
    ("teaching_cli.rs two analysts, y", [0, 4], [2, 2], 0, 4, 0.0),
]


def confusion_kappa(student, reference, lo, hi):
    levels = list(range(lo, hi + 1))
    k = len(levels)
    n = len(student)
    observed = [[0] * k for _ in range(k)]
    for s, r in zip(student, reference):
        observed[levels.index(s)][levels.index(r)] += 1
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2
            num += w * observed[i][j]
            den += w * rows[i] * cols[j] / n
    return 1 - num / den


def main():
    try:
        from sklearn.metrics import cohen_kappa_score
    except ImportError:
        cohen_kappa_score = None
        print("scikit-learn not installed: the standard-library formula only")
    ok = True
    for name, s, r, lo, hi, expected in CASES:
        mine = confusion_kappa(s, r, lo, hi)
        line = f"{name}: confusion-matrix formula {mine:.6f}, expected {expected:.6f}"
        good = abs(mine - expected) < 1e-9
        if cohen_kappa_score is not None:
            theirs = cohen_kappa_score(s, r, weights="quadratic", labels=list(range(lo, hi + 1)))
            line += f", scikit-learn {theirs:.6f}"
            good = good and abs(theirs - expected) < 1e-9
        print(("ok   " if good else "FAIL ") + line)
        ok = ok and good
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
