#!/bin/bash
# learning.sh: the learned model learns from the delegate's corrections.
# Starting from the shipped model (rules/training), eight requests of a
# topic it has never seen (allotment gardens, in six languages) are stored
# and the delegate corrects their domain with `guichet label`; after
# `guichet learn`, the model alone must label more of six other, unseen
# requests of that topic right than before.  Then `forget` removes the
# corrected senders and the next model no longer has their examples.
set -eu
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}" "${TESTS_TMP:=$PWD/tests/tmp}"
dir="$TESTS_TMP/learning"
rm -rf "$dir"; mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
G() { "$GUICHET" --config guichet.conf --db "$dir/g.db" "$@"; }
fx=tests/fixtures/learning
want=vivre_ensemble

# model alone: how many unseen requests get the domain the delegate gives
right() {
	G explain --json "$fx"/unseen/*.eml | python3 -c '
import json, sys
n = 0
for l in sys.stdin:
    m = json.loads(l)["explain"]["scores"]["domain"]["model"]
    n += bool(m) and m[0]["value"] == sys.argv[1]
print(n)' "$want"
}

G ingest --json "$fx"/corrections/*.eml > "$dir/ingest.jsonl"
before=$(right)
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
after=$(right)
echo "# learning: model alone right on $before/6 unseen requests before $n corrections, $after/6 after"
[ "$after" -gt "$before" ] || { echo "FAIL: the corrections did not help"; exit 1; }

# forget one corrected sender: the next model has one correction less
G forget amadou.j@gmail.com --yes > /dev/null
G learn > "$dir/learn2.txt"
grep -q "$((n - 1)) corrected requests" "$dir/learn2.txt" || {
	echo "FAIL: a forgotten sender's correction is still learnt"; cat "$dir/learn2.txt"; exit 1; }
echo PASS
