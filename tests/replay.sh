#!/bin/bash
# replay.sh: does guichet learn from the delegate's corrections on mail it
# has never seen?  Usage (from anywhere):
#
#     tests/replay.sh SETDIR [FRACTION]
#
# SETDIR is a labelled set laid out as tests/labelled*/ and tests/blind/:
# .eml files and a labels.tsv (file, language, domain, topic, requester,
# commune, urgent; "-" for no label).  FRACTION (default 0.5) is the share
# of the set the delegate corrects.
#
# In a fresh store in a temporary folder, with the sample configuration
# (guichet.conf) and the shipped rules and training examples:
#  1. every .eml of the set is ingested (`guichet ingest`);
#  2. the files, sorted by name, are split without chance: file i (from 0)
#     goes to the "correction" part when floor((i+1)*F) > floor(i*F), to
#     the "rest" otherwise (F = 0.5: every other file);
#  3. the domain of the rest is scored with the shipped model: what guichet
#     decides (the combined label), the model alone and the rules alone
#     (`guichet explain --json`), and the domain stored at ingest;
#  4. the delegate goes through the correction part as a delegate would:
#     `guichet label REF domain=... topic=... requester=...` for each of its
#     requests (topic and requester only when the label file has them): the
#     wrong labels are corrected, the right ones confirmed (both are learnt);
#     with REPLAY_ONLY_WRONG=1 only the wrong fields of the wrong requests
#     are given (a delegate who only corrects mistakes);
#  5. `guichet learn` retrains (shipped examples + corrections);
#  6. the rest is scored again: `guichet explain --json` (combined, model
#     alone, rules alone) and, after `guichet reclassify --since`, the
#     domain stored for each request of the rest.
# It prints the domain accuracy on the rest before and after, per source
# and per domain label (right/total), and exits 1 when the domain decided
# (combined, explain) on the rest did not rise, 0 when it rose or was
# already 100% (said so); REPLAY_REPORT_ONLY=1 reports and exits 0.  It
# also prints the domain of the corrected part itself after learn (how much
# of the corrections the model took in).  REPLAY_KEEP=1 keeps the
# temporary folder (printed), REPLAY_XCONF="model = { ... };" appends
# settings to the sample configuration.
# REPLAY_WITHOUT="NAME..." trains without the folders rules/training/NAME
# (the copies of tests/labelled*): a set the model has never seen, for
# measuring on the development sets; the checker's set needs none.
# Needs python3 and sqlite3 (to read the stored labels).
set -eu
usage() { echo "usage: $0 SETDIR [FRACTION]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
SET=$(cd "$1" && pwd) || usage
FRACTION=${2:-0.5}
[ -f "$SET/labels.tsv" ] || { echo "$SET/labels.tsv: no label file" >&2; exit 2; }
python3 -c 'import sys; f = float(sys.argv[1]); sys.exit(0 if 0 < f < 1 else 1)' "$FRACTION" 2>/dev/null ||
	{ echo "$FRACTION: the fraction must be a number between 0 and 1 (exclusive)" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${GUICHET:=$ROOT/guichet}"
[ -x "$GUICHET" ] || { echo "$GUICHET: not built (make)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/guichet-replay.XXXXXX")
if [ -n "${REPLAY_KEEP:-}" ]; then echo "# replay: kept $dir"; else trap 'rm -rf "$dir"' EXIT; fi
training=$ROOT/rules/training
if [ -n "${REPLAY_WITHOUT:-}" ]; then
	training=$dir/training
	mkdir "$training"
	for t in "$ROOT"/rules/training/*/; do
		t=${t%/}
		case " $REPLAY_WITHOUT " in *" $(basename "$t") "*) continue ;; esac
		ln -s "$t" "$training/"
	done
fi
sed -e "s#rules = \"rules\";#rules = \"$ROOT/rules\"; training = \"$training\";#" \
    -e "s#templates = \"templates\";#templates = \"$ROOT/templates\";#" \
    "$ROOT/guichet.conf" > "$dir/guichet.conf"
[ -z "${REPLAY_XCONF:-}" ] || echo "$REPLAY_XCONF" >> "$dir/guichet.conf"
G() { "$GUICHET" --config "$dir/guichet.conf" --db "$dir/g.db" "$@"; }

# 1. ingest the whole set, in name order
find "$SET" -maxdepth 1 -name '*.eml' | LC_ALL=C sort > "$dir/files"
[ -s "$dir/files" ] || { echo "$SET: no .eml file" >&2; exit 2; }
tr '\n' '\0' < "$dir/files" | xargs -0 "$GUICHET" --config "$dir/guichet.conf" --db "$dir/g.db" \
	ingest --json > "$dir/ingest.jsonl" 2> "$dir/ingest.err" ||
	{ cat "$dir/ingest.err" >&2; echo "ingest failed" >&2; exit 1; }

# 2. the split; the label commands of the delegate (4.)
python3 - "$dir" "$SET/labels.tsv" "$FRACTION" <<'EOF'
import csv, json, math, os, sys
d, labels, f = sys.argv[1], sys.argv[2], float(sys.argv[3])
only_wrong = bool(os.environ.get("REPLAY_ONLY_WRONG"))
files = [l.rstrip("\n") for l in open(os.path.join(d, "files"), encoding="utf-8")]
want = {r["file"]: r for r in csv.DictReader(open(labels, encoding="utf-8"), delimiter="\t")}
ing = {}
for l in open(os.path.join(d, "ingest.jsonl"), encoding="utf-8"):
    if l.strip():
        j = json.loads(l)
        ing[os.path.basename(j["file"])] = j
corr, rest = [], []
for i, p in enumerate(files):
    b = os.path.basename(p)
    if b not in want:
        continue
    (corr if math.floor((i + 1) * f) > math.floor(i * f) else rest).append(p)
def lab(v):
    return None if v in (None, "", "-") else v
with open(os.path.join(d, "rest"), "w") as o:
    o.write("".join(p + "\n" for p in rest))
with open(os.path.join(d, "corr"), "w") as o:
    o.write("".join(p + "\n" for p in corr))
n_req = n_fix = 0
with open(os.path.join(d, "labels.cmd"), "w") as o:
    for p in corr:
        b = os.path.basename(p)
        j, w = ing.get(b), want[b]
        if not j or not j.get("ref"):
            continue
        n_req += 1
        fields, wrong = [], False
        for k in ("domain", "topic", "requester"):
            v = lab(w.get(k))
            if v is not None and (v != j.get(k) or not only_wrong):
                fields.append("%s=%s" % (k, v))
            wrong |= v is not None and v != j.get(k)
        n_fix += wrong
        if fields:
            o.write(j["ref"] + " " + " ".join(fields) + "\n")
with open(os.path.join(d, "split"), "w") as o:
    o.write("%d %d %d %d\n" % (len(corr), len(rest), n_req, n_fix))
EOF
read -r n_corr n_rest n_req n_fix < "$dir/split"

# 3. and 6. the rest scored: explain --json (combined, model, rules), and the stored domain
score() {
	tr '\n' '\0' < "$dir/rest" | xargs -0 "$GUICHET" --config "$dir/guichet.conf" --db "$dir/g.db" \
		explain --json > "$dir/$1.jsonl"
	sqlite3 -separator '	' "file:$dir/g.db?mode=ro" "SELECT ref, domain FROM requests" > "$dir/$1.stored"
}
score before
while read -r ref fields; do
	# shellcheck disable=SC2086 # one word per field
	G label "$ref" $fields > /dev/null
done < "$dir/labels.cmd"
G learn > "$dir/learn.txt"
G reclassify --since 2000-01-01 > "$dir/reclassify.txt"
score after
tr '\n' '\0' < "$dir/corr" | xargs -0 "$GUICHET" --config "$dir/guichet.conf" --db "$dir/g.db" \
	explain --json > "$dir/corr.jsonl"

echo "# replay on $SET: $((n_corr + n_rest)) labelled files; $n_corr in the correction part" \
     "(fraction $FRACTION): $n_req stored requests, $n_fix with a wrong label, $(wc -l < "$dir/labels.cmd")" \
     "labelled by the delegate${REPLAY_ONLY_WRONG:+ (only the wrong fields)};" \
     "scored on the $n_rest others"
sed -n 's/^/#   learn: /p' "$dir/learn.txt" | head -6
python3 - "$dir" "$SET/labels.tsv" <<'EOF'
import csv, json, os, sys, unicodedata
d = sys.argv[1]
want = {r["file"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"), delimiter="\t")}
rest = [os.path.basename(l.strip()) for l in open(os.path.join(d, "rest")) if l.strip()]
ref = {}
for l in open(os.path.join(d, "ingest.jsonl"), encoding="utf-8"):
    if l.strip():
        j = json.loads(l)
        if j.get("ref"):
            ref[os.path.basename(j["file"])] = j["ref"]

def norm(v):
    if v in (None, "", "-"):
        return "-"
    v = unicodedata.normalize("NFD", str(v).lower())
    return "".join(c for c in v if unicodedata.category(c) != "Mn").replace(" ", "-")

def load(tag):
    got = {}
    for l in open(os.path.join(d, tag + ".jsonl"), encoding="utf-8"):
        if l.strip():
            j = json.loads(l)
            got[os.path.basename(j["file"])] = j
    stored = {}
    for l in open(os.path.join(d, tag + ".stored"), encoding="utf-8"):
        r, _, dom = l.rstrip("\n").partition("\t")
        stored[r] = dom
    out = {}
    for b in rest:
        j = got.get(b) or {}
        s = (j.get("explain") or {}).get("scores", {}).get("domain", {})
        m, r = s.get("model") or [], s.get("rules") or []
        out[b] = {"combined": j.get("domain"),
                  "model": m[0]["value"] if m else None,
                  "rules": r[0]["value"] if r else "autre",
                  "stored": stored.get(ref.get(b, ""), None)}
    return out

before, after = load("before"), load("after")
n = len(rest)
def acc(res, who, subset=None):
    fs = [b for b in rest if subset is None or norm(want[b]["domain"]) == subset]
    return sum(norm(res[b][who]) == norm(want[b]["domain"]) for b in fs), len(fs)
print("#   domain accuracy on the rest (%d files), before -> after the corrections:" % n)
for who, what in (("combined", "what guichet decides (explain)"),
                  ("model", "the model alone"), ("rules", "the rules alone"),
                  ("stored", "stored (ingest, then reclassify)")):
    b, _ = acc(before, who)
    a, _ = acc(after, who)
    print("#     %-34s %5.1f%% -> %5.1f%%  (%d -> %d of %d)"
          % (what, 100.0 * b / n, 100.0 * a / n, b, a, n))
print("#   per domain (right/total on the rest): combined before -> after, model before -> after")
for lab in sorted({norm(want[b]["domain"]) for b in rest}):
    cb, t = acc(before, "combined", lab)
    ca, _ = acc(after, "combined", lab)
    mb, _ = acc(before, "model", lab)
    ma, _ = acc(after, "model", lab)
    print("#     %-22s %3d -> %3d of %3d    model %3d -> %3d" % (lab, cb, ca, t, mb, ma))
changed = [(b, before[b]["combined"], after[b]["combined"]) for b in rest
           if before[b]["combined"] != after[b]["combined"]]
if changed:
    print("changed by the corrections (file: before -> after, want):")
    for b, x, y in changed:
        print("  %s: %s -> %s (want %s)%s" % (b, x, y, want[b]["domain"],
              "" if norm(y) == norm(want[b]["domain"]) or norm(x) != norm(want[b]["domain"]) else "  WORSE"))
cr = 0
corr = [os.path.basename(l.strip()) for l in open(os.path.join(d, "corr")) if l.strip()]
for l in open(os.path.join(d, "corr.jsonl"), encoding="utf-8"):
    if l.strip():
        j = json.loads(l)
        cr += norm(j.get("domain")) == norm(want[os.path.basename(j["file"])]["domain"])
print("#   domain on the corrected part itself after learn: %.1f%% (%d of %d)"
      % (100.0 * cr / max(len(corr), 1), cr, len(corr)))
with open(os.path.join(d, "corrected-part"), "w") as o:
    o.write("%d %d\n" % (cr, len(corr)))
b, _ = acc(before, "combined")
a, _ = acc(after, "combined")
if b == n:
    print("PASS: the domain on the rest was already 100%% before the corrections (%d/%d), "
          "%d/%d after" % (b, n, a, n))
elif a > b:
    print("PASS: the corrections raised the domain accuracy on the rest from %.1f%% to %.1f%%"
          % (100.0 * b / n, 100.0 * a / n))
elif os.environ.get("REPLAY_REPORT_ONLY"):
    print("the corrections did not raise the domain accuracy on the rest (%.1f%% -> %.1f%%)"
          % (100.0 * b / n, 100.0 * a / n))
else:
    print("FAIL: the corrections did not raise the domain accuracy on the rest (%.1f%% -> %.1f%%)"
          % (100.0 * b / n, 100.0 * a / n))
    sys.exit(1)
EOF
