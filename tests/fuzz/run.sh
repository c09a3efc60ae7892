#!/bin/bash
# tests/fuzz/run.sh [SECONDS]: builds the libFuzzer harnesses with clang
# (-fsanitize=fuzzer,address,undefined) and runs each for SECONDS (default 60),
# seeded from the test fixtures.  Crashes are kept in tests/fuzz/crashes/
# and make the run fail: turn each into a regular fixture.  FUZZ_BUILD picks
# the build folder (default build-fuzz), FUZZ_ONLY a space-separated subset.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
B=${FUZZ_BUILD:-build-fuzz}
command -v clang >/dev/null || { echo "fuzz: clang is missing (make deps)" >&2; exit 1; }
mkdir -p "$B" tests/fuzz/crashes
make --no-print-directory -s BUILD="$B" CC=clang PROG="$B/guichet" \
  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
  LDFLAGS="-fsanitize=address,undefined" "$B/libguichet.a"
# The program's own flags (the Makefile owns the library list).
CF="$(make --no-print-directory -s print-cflags) -Isrc -DGUICHET_SRCDIR=\"$PWD\""
LIBS="$(make --no-print-directory -s print-libs)"
# seed corpora: the fixtures of each area
seeds() {
	local d="$B/seeds-$1"; rm -rf "$d"; mkdir -p "$d"; shift
	for f in "$@"; do [ -f "$f" ] && cp "$f" "$d/" ; done
	echo "$d"
}
fail=0
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
for h in ${FUZZ_ONLY:-parse html config rules template reply}; do
	src=tests/fuzz/fuzz_$h.c
	[ -f "$src" ] || continue
	clang -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer $CF \
	  -o "$B/fuzz_$h" "$src" tests/fuzz/fuzz_support.c "$B/libguichet.a" $LIBS
	case $h in
	parse|reply) sd=$(seeds $h tests/fixtures/*/*.eml tests/fuzz/seeds/*.eml) ;;
	html) sd=$(seeds $h tests/fixtures/*/*.html tests/fuzz/seeds/*.html) ;;
	config) sd=$(seeds $h guichet.conf tests/fixtures/config/*) ;;
	rules) sd=$(seeds $h rules/*.conf tests/fixtures/rules-bad/*.conf) ;;
	template) sd=$(seeds $h templates/*.txt) ;;
	esac
	work="$B/corpus-$h"; mkdir -p "$work"
	echo "== fuzz_$h: $secs s"
	if ! "$B/fuzz_$h" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="tests/fuzz/crashes/$h-" -print_final_stats=1 "$work" "$sd" \
	    > "$B/fuzz_$h.log" 2>&1; then
		echo "fuzz_$h FAILED: see $B/fuzz_$h.log and tests/fuzz/crashes/"; fail=1
		tail -n 30 "$B/fuzz_$h.log"
	fi
	grep -E 'stat::number_of_executed_units|cov:' "$B/fuzz_$h.log" | tail -n 2 | sed "s/^/  fuzz_$h: /"
done
exit $fail
