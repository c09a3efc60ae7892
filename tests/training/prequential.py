#!/usr/bin/env python3
"""prequential.py: the per-message records of prequential.sh, and a replay
of the domain and requester combination of classify.c on them.

  prequential.py --tsv DIR < PLAN      explain's JSON in DIR -> TSV on stdout
  prequential.py FILE.tsv[.gz] [--model old|now] [--grid] [-x folder,folder]

A record holds, for one message of a folder scored before anyone had seen
it, the rules' top two values and evidence (decisive or not: explain's
"by"), the model's top two values and probabilities, and the combined
label, for domain (d_), requester (q_) and urgency (u_: the model's
probability, who decided, the verdict).  "old" rows come from the commit
before the folder was added (its rules, its model); "now" rows from the
current binary with a model trained without the folder.  The replay takes
the rules from the old rows and the model from --model (default now).

Scores: unweighted, and weighted so that each true domain (requester
kind) counts with its share in tests/labelled* (the dev sets, closest to
real mail), with standard errors; a variant's gain over the current
combination with the standard error of the paired difference.  --grid
also picks thresholds by leave-one-folder-out (chosen on the other
folders, scored on the one left out), which is what a tuned choice would
gain on unseen mail.
"""
import csv, glob, gzip, json, math, os, sys
from collections import defaultdict

FIELDS = ["set", "file", "side", "commit", "want_domain", "want_requester", "want_urgent"]
for k in ("d", "q"):
    FIELDS += [k + "_" + x for x in ("by", "r1", "e1", "r2", "e2", "m1", "p1", "m2", "p2", "got")]
FIELDS += ["u_by", "u_p", "u_got"]
DEFAULT = {"d": "autre", "q": "inconnu"}


def to_tsv(d):
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(FIELDS)
    for line in sys.stdin:
        p = line.split()
        if len(p) < 2:
            continue
        f, commit = p[0], p[1]
        labels = {r["file"]: r for r in csv.DictReader(
            open(os.path.join(d, f, f, "labels.tsv"), encoding="utf-8"), delimiter="\t")}
        for side in ("old", "now"):
            path = os.path.join(d, "%s.%s.jsonl" % (f, side))
            if not os.path.exists(path):
                continue
            for l in open(path, encoding="utf-8"):
                if not l.strip():
                    continue
                j = json.loads(l)
                name = os.path.basename(j["file"])
                w = labels.get(name)
                if w is None:
                    continue
                sc = (j.get("explain") or {}).get("scores", {})
                row = [f, name, side, commit, w.get("domain", "-"), w.get("requester", "-"),
                       w.get("urgent", "-")]
                for k, lab in (("d", "domain"), ("q", "requester")):
                    s = sc.get(lab, {})
                    r = (s.get("rules") or []) + [{}, {}]
                    m = (s.get("model") or []) + [{}, {}]
                    row += [s.get("by") or "-",
                            r[0].get("value", "-"), "%.3f" % r[0].get("evidence", 0),
                            r[1].get("value", "-"), "%.3f" % r[1].get("evidence", 0),
                            m[0].get("value", "-"), "%.3f" % m[0].get("p", 0),
                            m[1].get("value", "-"), "%.3f" % m[1].get("p", 0),
                            j.get(lab) or "-"]
                u = sc.get("urgent", {})
                um = (u.get("model") or [{}])[0]
                row += [u.get("by") or "-", "%.3f" % um.get("p", 0), "1" if j.get("urgent") else "0"]
                out.writerow(row)


def load(path):
    f = gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")
    rows = list(csv.DictReader(f, delimiter="\t"))
    old = {(r["set"], r["file"]): r for r in rows if r["side"] == "old"}
    now = {(r["set"], r["file"]): r for r in rows if r["side"] == "now"}
    return old, now


def evidence(o, m, k):
    """(decisive, r1, e1, r2, e2, m1, p1) for label k: rules of o, model of m."""
    return (o[k + "_by"] == "rules (decisive)",
            None if o[k + "_r1"] == "-" else o[k + "_r1"], float(o[k + "_e1"]),
            None if o[k + "_r2"] == "-" else o[k + "_r2"], float(o[k + "_e2"]),
            None if m[k + "_m1"] == "-" else m[k + "_m1"], float(m[k + "_p1"]))


def current(ev, k, strong=75, thr=60, silent=40, weak=1, half=0.5, X=None, Y=None):
    """classify.c's model_wins(), and the structural variant X/Y: the model
    also wins over a non-decisive rule when p >= X and the rules' margin
    (e1 - e2) / e1 is below Y."""
    dec, r1, e1, r2, e2, m1, p1 = ev
    rules = r1 if r1 else DEFAULT[k]
    if m1 is None or dec:
        return rules
    if p1 >= strong / 100.0:
        return m1
    if r1 is None:
        return m1 if p1 >= silent / 100.0 else rules
    open_ = e1 <= weak or (r2 is not None and e2 >= half * e1)
    if open_ and p1 >= thr / 100.0:
        return m1
    if X is not None and p1 >= X / 100.0 and (e1 - (e2 if r2 else 0)) / e1 < Y:
        return m1
    return rules


def shares(key):
    n = defaultdict(int)
    for t in sorted(glob.glob("tests/labelled*/labels.tsv")):
        for r in csv.DictReader(open(t, encoding="utf-8"), delimiter="\t"):
            if r.get(key, "-") not in ("-", ""):
                n[r[key]] += 1
    tot = sum(n.values())
    return {c: v / tot for c, v in n.items()}


def score(items, share):
    """items: (true class, 1/0) -> (unweighted %, se, weighted %, se)."""
    by = defaultdict(list)
    for c, ok in items:
        by[c].append(ok)
    n = len(items)
    u = sum(ok for _, ok in items) / n
    use = {c: share.get(c, 0) for c in by}
    z = sum(use.values()) or 1
    w = sum(use[c] / z * sum(v) / len(v) for c, v in by.items())
    var = 0
    for c, v in by.items():
        a = sum(v) / len(v)
        var += (use[c] / z) ** 2 * a * (1 - a) / len(v)
    return 100 * u, 100 * math.sqrt(u * (1 - u) / n), 100 * w, 100 * math.sqrt(var)


def diff(items_a, items_b, share):
    """Paired gain of b over a: (unweighted, se, weighted, se) in points."""
    by = defaultdict(list)
    for (c, a), (_, b) in zip(items_a, items_b):
        by[c].append(b - a)
    allv = [x for v in by.values() for x in v]
    n = len(allv)
    mu = sum(allv) / n
    sd = math.sqrt(sum((x - mu) ** 2 for x in allv) / max(n - 1, 1) / n)
    use = {c: share.get(c, 0) for c in by}
    z = sum(use.values()) or 1
    w = var = 0
    for c, v in by.items():
        m = sum(v) / len(v)
        w += use[c] / z * m
        if len(v) > 1:
            var += (use[c] / z) ** 2 * sum((x - m) ** 2 for x in v) / (len(v) - 1) / len(v)
    return 100 * mu, 100 * sd, 100 * w, 100 * math.sqrt(var)


def main():
    if "--tsv" in sys.argv:
        return to_tsv(sys.argv[sys.argv.index("--tsv") + 1])
    path = sys.argv[1]
    side = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else "now"
    old, now = load(path)
    keys = [key for key in old if key in now] if side == "now" else list(old)
    skip = set(sys.argv[sys.argv.index("-x") + 1].split(",")) if "-x" in sys.argv else set()
    keys = [key for key in keys if key[0] not in skip]
    src = now if side == "now" else old
    for k, lab, col in (("d", "domain", "want_domain"), ("q", "requester", "want_requester")):
        share = shares(lab)
        data = [(key[0], old[key][col], evidence(old[key], src[key], k), old[key][k + "_got"])
                for key in keys if old[key][col] not in ("-", "")]
        print("== %s: %d messages of %d folders, model %s" %
              (lab, len(data), len(set(d[0] for d in data)), side))

        def items(f, sub=None):
            return [(w, int(f(ev) == w)) for s, w, ev, _ in data if sub is None or s in sub]
        base = items(lambda ev: current(ev, k))
        variants = [
            ("combined at that commit", [(w, int(g == w)) for _, w, _, g in data]),
            ("current 75/60/40", base),
            ("rules alone", items(lambda ev: ev[1] or DEFAULT[k])),
            ("model alone", items(lambda ev: ev[5] or DEFAULT[k])),
        ]
        for st, th, si in ((60, 60, 40), (65, 60, 40), (70, 60, 40), (80, 60, 40), (85, 60, 40),
                           (75, 50, 40), (75, 70, 40), (75, 60, 30), (75, 60, 50), (50, 50, 30)):
            variants.append(("strong %d thr %d silent %d" % (st, th, si),
                             items(lambda ev, a=st, b=th, c=si: current(ev, k, a, b, c))))
        for X in (50, 55, 60, 65):
            for Y in (0.34, 0.5, 0.67, 1.01):
                variants.append(("model >= %d over rule margin < %.2f" % (X, Y),
                                 items(lambda ev, X=X, Y=Y: current(ev, k, X=X, Y=Y))))
        print("%-40s %6s %5s %6s %5s | gain: unw  se  weighted  se" %
              ("", "unw%", "se", "wgt%", "se"))
        for name, it in variants:
            s = score(it, share)
            g = diff(base, it, share)
            print("%-40s %6.1f %5.1f %6.1f %5.1f | %+5.1f %4.1f %+6.1f %4.1f" % ((name,) + s + g))
        # per folder, current vs model alone vs rules alone
        print("per folder (n, combined then, current, rules, model):")
        for f in sorted(set(d[0] for d in data), key=lambda s: (len(s), s)):
            sub = {f}
            n = sum(1 for d in data if d[0] == f)
            c = [sum(ok for _, ok in it) / n * 100 for it in (
                [(w, int(g == w)) for s, w, _, g in data if s == f], items(lambda ev: current(ev, k), sub),
                items(lambda ev: ev[1] or DEFAULT[k], sub), items(lambda ev: ev[5] or DEFAULT[k], sub))]
            print("  %-9s %4d  %5.1f %5.1f %5.1f %5.1f" % ((f, n) + tuple(c)))
        if "--grid" in sys.argv:
            grid = [dict(strong=a, thr=b, silent=c) for a in range(50, 100, 5)
                    for b in range(40, 80, 5) for c in range(20, 65, 5) if b <= a]
            grid += [dict(X=x, Y=y) for x in range(40, 80, 5) for y in (0.2, 0.34, 0.5, 0.67, 0.8, 1.01)]
            folders = sorted(set(d[0] for d in data))
            picked, chosen = [], []
            for f in folders:
                rest = set(folders) - {f}
                best = max(grid, key=lambda g: score(items(lambda ev: current(ev, k, **g), rest), share)[2])
                chosen.append((f, best))
                picked += items(lambda ev: current(ev, k, **best), {f})
            base_o = [x for f in folders for x in items(lambda ev: current(ev, k), {f})]
            s = score(picked, share)
            g = diff(base_o, picked, share)
            print("%-40s %6.1f %5.1f %6.1f %5.1f | %+5.1f %4.1f %+6.1f %4.1f" %
                  (("tuned, leave one folder out",) + s + g))
            best = max(grid, key=lambda g: score(items(lambda ev: current(ev, k, **g)), share)[2])
            print("  best on all folders:", best, "%.1f" % score(items(lambda ev: current(ev, k, **best)), share)[2])
            for f, b in chosen:
                print("  without %s: %s" % (f, b))


if __name__ == "__main__":
    main()
