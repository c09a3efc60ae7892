#!/bin/bash
# learning.sh: the learned model learns from the delegate's corrections.
# Starting from the shipped model (rules/training), eight requests of a
# topic it gets wrong (allotment gardens, in six languages) are stored and
# the delegate corrects their domain with `guichet label`; after
# `guichet learn`, the model alone and the combined labels (what guichet
# decides) must be right on more of six other, unseen requests of that
# topic than before; the figures are printed.  A correction weighs more
# than a shipped example: the very text of a shipped example, corrected to
# another domain, is learnt as corrected.  Then `forget` and `purge`
# remove the corrected requests of a sender from the next model.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=$ROOT/tests/tmp}"
dir="$TESTS_TMP/learning"
rm -rf "$dir"; mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
# the sample configuration with absolute paths, texts purged as soon as a
# request is closed (retention.text_days = 0)
sed -e "s#rules = \"rules\";#rules = \"$ROOT/rules\";#" \
    -e "s#templates = \"templates\";#templates = \"$ROOT/templates\";#" \
    -e 's#text_days = [0-9]*;#text_days = 0;#' guichet.conf > "$dir/guichet.conf"
G() { "$GUICHET" --config "$dir/guichet.conf" --db "$dir/g.db" "$@"; }
fx=tests/fixtures/learning
want=vivre_ensemble

# how many unseen requests get the domain the delegate gives: the model
# alone, then the combined label
right() {
	G explain --json "$fx"/unseen/*.eml | python3 -c '
import json, sys
model = comb = 0
for l in sys.stdin:
    j = json.loads(l)
    m = j["explain"]["scores"]["domain"]["model"]
    model += bool(m) and m[0]["value"] == sys.argv[1]
    comb += j["domain"] == sys.argv[1]
print(model, comb)' "$want"
}
# the model's domain for one file
model_domain() {
	G explain --json "$1" | python3 -c '
import json, sys
m = json.loads(sys.stdin.readline())["explain"]["scores"]["domain"]["model"]
print(m[0]["value"] if m else "-")'
}
fail() { echo "FAIL: $*"; exit 1; }

G ingest --json "$fx"/corrections/*.eml > "$dir/ingest.jsonl"
read -r model_before comb_before < <(right)
refs=$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["ref"] for l in open(sys.argv[1])))' "$dir/ingest.jsonl")
n=0
for ref in $refs; do
	G label "$ref" domain=$want topic=association > /dev/null
	n=$((n + 1))
done
G learn > "$dir/learn.txt"
cat "$dir/learn.txt"
grep -q "^domain " "$dir/learn.txt"
grep -q "$n corrected requests" "$dir/learn.txt"
read -r model_after comb_after < <(right)
echo "# learning: $n corrections of the domain; on 6 unseen requests of the topic the model alone was right on $model_before before, $model_after after; the combined domain on $comb_before before, $comb_after after"
[ "$model_after" -gt "$model_before" ] || fail "the corrections did not help the model"
[ "$comb_after" -gt "$comb_before" ] || fail "the corrections did not change what guichet decides"

# forget one corrected sender: the next model has one correction less
G forget amadou.j@gmail.com --yes > /dev/null
G learn > "$dir/learn2.txt"
grep -q "$((n - 1)) corrected requests" "$dir/learn2.txt" ||
	fail "a forgotten sender's correction is still learnt: $(head -1 "$dir/learn2.txt")"
# purge: a corrected request closed, its text purged, is no example either
G close "$(echo "$refs" | cut -d' ' -f2)" > /dev/null
G purge > /dev/null
G learn > "$dir/learn3.txt"
grep -q "$((n - 2)) corrected requests" "$dir/learn3.txt" ||
	fail "a purged request's correction is still learnt: $(head -1 "$dir/learn3.txt")"
echo "# learning: forget and purge remove the corrections from the next model ($n, $((n - 1)), $((n - 2)) corrected requests)"

# a correction outweighs a shipped example: the text of a shipped example
# (formation_emploi), stored and corrected to langue, is learnt as langue
ex=rules/training/domain4/fr-cours-d-informatique.eml
[ "$(model_domain "$ex")" = formation_emploi ] || fail "$ex: not formation_emploi before"
ref=$(G ingest --json "$ex" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["ref"])')
G label "$ref" domain=langue topic=cours_langue > /dev/null
G learn > "$dir/learn4.txt"
grep -q "each counted [2-9]" "$dir/learn4.txt" || grep -q "each counted [1-9][0-9]" "$dir/learn4.txt" ||
	fail "corrections are not counted more than once"
got=$(model_domain "$ex")
echo "# learning: a shipped example corrected by the delegate: the model says $got (shipped label formation_emploi, corrected langue)"
[ "$got" = langue ] || fail "the shipped example outweighs the delegate's correction"
echo PASS
