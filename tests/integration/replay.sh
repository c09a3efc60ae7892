#!/bin/bash
# replay.sh: tests/replay.sh (a replay of the delegate's corrections on
# part of a labelled set, the domain scored on the rest before and after
# `guichet learn`) on the development set tests/blind, which the model is
# never trained on.  The rise on the rest is printed, not judged (the few
# mistakes left there are each their own case, so a rise is not assured
# on it); judged: every request of the
# corrected part is learnt (`learn` counts them) and the model takes the
# delegate's labels in (domain right on at least 90% of that part).
set -eu
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}" "${TESTS_TMP:=$PWD/tests/tmp}"
out=$TESTS_TMP/replay.out
REPLAY_REPORT_ONLY=1 TMPDIR=$TESTS_TMP GUICHET=$GUICHET \
	bash tests/replay.sh tests/blind | tee "$out"
fail() { echo "FAIL: $*"; exit 1; }
n=$(sed -n 's/.* \([0-9]*\) labelled by the delegate.*/\1/p' "$out")
[ -n "$n" ] && [ "$n" -gt 40 ] || fail "labelled requests: '$n'"
grep -q "^#   learn: .*, $n corrected requests" "$out" || fail "learn did not take the $n labelled requests"
read -r right total < <(sed -n 's/.*corrected part itself after learn: .*(\([0-9]*\) of \([0-9]*\)).*/\1 \2/p' "$out")
[ $((right * 100)) -ge $((total * 90)) ] || fail "the corrected part itself: $right of $total after learn"
echo "# learning: replay on blind: the delegate's $n labels learnt, corrected part $right of $total after learn"
echo PASS
