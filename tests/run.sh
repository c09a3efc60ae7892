#!/bin/bash
# tests/run.sh: runs every unit test binary and every integration script,
# then prints "N passed, N failed".  Integration scripts get the real
# guichet binary in $GUICHET and start the mail stack themselves
# (tests/mailstack.sh).  Run from the repository root (make check).
set -u
cd "$(dirname "$0")/.."
: "${GUICHET:=$PWD/guichet}" "${BUILD:=build}"
export GUICHET BUILD
export TESTS_TMP="${TESTS_TMP:-$PWD/tests/tmp}"
mkdir -p "$TESTS_TMP"
passed=0 failed=0 failures=""
only="${TESTS:-}"
run_one() {	# name command...
	local name=$1; shift
	# TESTS: words separated by spaces; a test runs when its name holds one
	if [ -n "$only" ]; then
		local w hit= words
		read -ra words <<< "$only"	# split, never expanded as a glob
		for w in "${words[@]}"; do [[ "$name" == *"$w"* ]] && { hit=1; break; }; done
		[ -n "$hit" ] || return 0
	fi
	local log="$TESTS_TMP/$(basename "$name").log"
	local start=$(date +%s)
	if "$@" > "$log" 2>&1; then
		passed=$((passed + 1)); echo "PASS $name ($(( $(date +%s) - start ))s)"
		# measured figures (per-label accuracy, ...) are shown on success too
		grep -E '^# +(labelled|language|domain|topic|requester|commune|urgent|rules|model|learning|kinds)' "$log" | sed 's/^/    /' || true
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL $name (log: $log)"; grep -E '^not ok|^#|FAIL|rror' "$log" | head -20 | sed 's/^/    /'
	fi
}
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integration/*.sh; do
	[ -f "$t" ] || continue
	run_one "integration/$(basename "$t" .sh)" bash "$t"
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
