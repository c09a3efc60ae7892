#!/bin/bash
# accuracy.sh: classify the labelled set (tests/labelled/*.eml) with the
# shipped rules through `guichet explain --json` and compare with
# tests/labelled/labels.tsv.  Prints the accuracy of each label and every
# miss; fails below the thresholds of issue 3: domain 80%, requester 85%,
# language 95%, every urgent request flagged, false alarms at most 10% of
# the flagged ones.  Topic and commune are reported, not judged.  Summary
# lines start with "# " so that tests/run.sh shows them.
# Usage (from the repository root): GUICHET=./guichet tests/integration/accuracy.sh
# LABELLED=tests/labelled2 scores another set of the same layout (accuracy2.sh).
set -eu
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}" "${TESTS_TMP:=$PWD/tests/tmp}" "${LABELLED:=tests/labelled}"
mkdir -p "$TESTS_TMP"
set_name=$(basename "$LABELLED")
out="$TESTS_TMP/accuracy-$set_name.jsonl"

"$GUICHET" --config "${GCONF:-guichet.conf}" --db "$TESTS_TMP/accuracy-$set_name.db" explain --json \
    "$LABELLED"/*.eml > "$out"

python3 - "$out" "$LABELLED"/labels.tsv <<'EOF'
import csv, json, os, sys, unicodedata

def norm(v):
    """None, "-" and "" are "no label"; compare without case or accents."""
    if v is None or v in ("-", ""):
        return "-"
    if isinstance(v, bool):
        return "1" if v else "0"
    v = unicodedata.normalize("NFD", str(v).lower())
    return "".join(c for c in v if unicodedata.category(c) != "Mn").replace(" ", "-")

got = {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line:
        j = json.loads(line)
        got[os.path.basename(j["file"])] = j
want = list(csv.DictReader(open(sys.argv[2], encoding="utf-8"), delimiter="\t"))

labels = ["language", "domain", "topic", "requester", "commune"]
right = dict.fromkeys(labels, 0)
misses = []
tp = fn = fp = 0
# Bosnian, Croatian and Serbian: the variant when the text tells it; when
# it does not, guichet says so and answers in the neutral variant ("sh",
# issue 15), which is right for all three.  A sure wrong variant is wrong.
BCMS = ("bs", "hr", "sr")
# Codes guichet folds into the one it reports (lang.h: Dari is fa, Sorani
# and Kurmanji ku, Serbian in either script sr) or answers in (reply.c:
# Swiss German in German, Montenegrin in Serbian); a label "sh" or "hbs"
# names the family.
LANG_ALIAS = {"prs": "fa", "fa-af": "fa", "pes": "fa", "ckb": "ku", "kmr": "ku",
              "sr-latn": "sr", "sr-cyrl": "sr", "gsw": "de", "cnr": "sr"}
exact_lang = neutral = 0
neutrals = []
def lang_right(g, w):
    l = norm(g.get("language"))
    want_l = LANG_ALIAS.get(norm(w["language"]), norm(w["language"]))
    if l == want_l:
        return True
    if want_l in ("sh", "hbs"):
        return l in BCMS
    variant = (g.get("explain") or {}).get("language_variant")
    return l in BCMS and want_l in BCMS and variant == "sh"
for w in want:
    g = got.get(w["file"])
    if g is None:
        misses.append("%s: no result" % w["file"])
        continue
    wrong = []
    want_l = LANG_ALIAS.get(norm(w["language"]), norm(w["language"]))
    exact_lang += norm(g.get("language")) == want_l
    for k in labels:
        if k == "language" and lang_right(g, w):
            right[k] += 1
            if norm(g.get(k)) != want_l:
                neutral += 1
                neutrals.append("%s: %s (want %s), neutral variant" % (w["file"], g.get(k), w[k]))
        elif k != "language" and norm(g.get(k)) == norm(w[k]):
            right[k] += 1
        else:
            wrong.append("%s %s (want %s)" % (k, g.get(k) or "-", w[k]))
    u, wu = bool(g.get("urgent")), w["urgent"] == "1"
    if u and wu: tp += 1
    elif wu: fn += 1; wrong.append("urgent MISSED")
    elif u: fp += 1; wrong.append("urgent FALSE ALARM")
    if wrong:
        misses.append("%s [%s]: %s" % (w["file"], g.get("language"), "; ".join(wrong)))

n = len(want)
print("# labelled requests: %d" % n)
pct = {k: 100.0 * right[k] / n for k in labels}
for k in labels:
    print("#   %-10s %5.1f%%  (%d/%d)" % (k, pct[k], right[k], n))
    if k == "language":
        print("#   language   %5.1f%%  (%d/%d) with the exact variant; %d bs/hr/sr "
              "answered in the neutral variant (or labelled sh) counted right above"
              % (100.0 * exact_lang / n, exact_lang, n, neutral))
flagged = tp + fp
recall = 100.0 * tp / (tp + fn) if tp + fn else 100.0
falarm = 100.0 * fp / flagged if flagged else 0.0
print("#   urgent     recall %.1f%% (%d/%d), false alarms %.1f%% of %d flagged"
      % (recall, tp, tp + fn, falarm, flagged))

# The same labels from the rules alone and from the model alone (explain's
# "scores"), beside the combined ones above.
def alone(g, k, who):
    s = (g.get("explain") or {}).get("scores", {}).get(k, {})
    if k == "urgent":
        by = s.get("by") or ""
        return ("rules" in by) if who == "rules" else ("model" in by)
    top = s.get(who) or []
    if top:
        return top[0]["value"]
    return {"domain": "autre", "requester": "inconnu"}.get(k) if who == "rules" else None

for who in ("rules", "model"):
    r = {"domain": 0, "requester": 0}
    utp = ufn = ufp = 0
    have = False
    for w in want:
        g = got.get(w["file"])
        if g is None:
            continue
        for k in r:
            v = alone(g, k, who)
            have |= who == "rules" or v is not None
            r[k] += norm(v) == norm(w[k])
        u, wu = alone(g, "urgent", who), w["urgent"] == "1"
        utp += u and wu; ufn += wu and not u; ufp += u and not wu
    if not have:
        print("#   %-6s alone: no model" % who)
        continue
    trained = os.path.exists(os.path.join("rules/training", os.path.basename(os.path.dirname(sys.argv[2])), "labels.tsv"))
    print("#   %-6s alone: domain %5.1f%%, requester %5.1f%%, urgent recall %.1f%% (%d/%d), "
          "false alarms %d of %d flagged%s" % (who, 100.0 * r["domain"] / n, 100.0 * r["requester"] / n,
          100.0 * utp / (utp + ufn) if utp + ufn else 100.0, utp, utp + ufn, ufp, utp + ufp,
          " (trained on this set: not a measure)" if who == "model" and trained else ""))
if neutrals:
    print("bs/hr/sr unsure, answered in the neutral variant:")
    for m in neutrals:
        print("  " + m)
if misses:
    print("misclassified:")
    for m in misses:
        print("  " + m)
fail = []
if pct["domain"] < 80: fail.append("domain < 80%")
if pct["requester"] < 85: fail.append("requester < 85%")
if pct["language"] < 95: fail.append("language < 95%")
if fn: fail.append("urgent request not flagged")
if falarm > 10: fail.append("false alarms > 10%")
if fail and os.environ.get("REPORT_ONLY"):
    print("below the bars of issue 3: " + ", ".join(fail))
elif fail:
    print("FAIL: " + ", ".join(fail))
    sys.exit(1)
print("PASS")
EOF
