#!/bin/bash
# tests/bench/run.sh GUICHET [FLOOR]: `make bench` (FLOOR: tests/bench/floor.c built).  Prints one table; never fails on
# timing.  Environment: BENCH_N (messages, default 20000), BENCH_RUNS (3),
# BENCH_STORE_N (requests in the synthetic store, default 1000000),
# BENCH_LATENCY_N (messages for the latency run, default 60), BENCH_BURST_N
# (requests of the daemon burst, default 1000).
set -eu
cd "$(dirname "$0")/../.."
G=${1:-$PWD/guichet}
FLOOR=${2:-}
N=${BENCH_N:-20000} RUNS=${BENCH_RUNS:-3} SN=${BENCH_STORE_N:-1000000} LN=${BENCH_LATENCY_N:-60}
W=${BENCH_DIR:-$PWD/tests/tmp/bench}
mkdir -p "$W"
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
calc() { awk "BEGIN { print $* }"; }
row() { printf '%-52s %s\n' "$1" "$2"; }

echo "guichet bench: $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# 1. corpus
C="$W/corpus-$N"
if [ ! -f "$C/.done" ]; then
	rm -rf "$C"; python3 tests/bench/gencorpus.py "$C" "$N" >/dev/null; touch "$C/.done"
fi
MB=$(du -sm --apparent-size "$C" | cut -f1)
CBYTES=$(du -sb --apparent-size "$C" | cut -f1)
# io LOG N BYTES: what the measured process wrote to the disk (write_bytes of
# its /proc/self/io, printed under GUICHET_PROFILE) per message, and its ratio
# to the BYTES of mail it took, so a regression in write amplification shows.
iolog() { awk '/^profile: I\/O written/ {gsub(/[()]/, ""); print $8 + 0}' "$1" 2>/dev/null; }
written() {	# WRITE_BYTES N BYTES
	[ -n "$1" ] || { echo "written: ?"; return; }
	echo "written $(calc "int($1 / $2)") B/msg, $(calc "$1 / $3" | xargs printf '%.2f')x the mail"
}
io() { written "$(iolog "$1")" "$2" "$3"; }
# a config from the sample, store in the bench folder
sed -e "s|^\(\s*store\s*=\).*|\1 \"$W/bench.db\";|" \
    -e "s|\"rules\"|\"$PWD/rules\"|; s|\"templates\"|\"$PWD/templates\"|" guichet.conf > "$W/bench.conf"
# 2. parsing ceiling
B=${BENCH_BUILD:-build-bench}
make --no-print-directory -s BUILD=$B PROG=$B/guichet $B/libguichet.a
PKGS="gmime-3.0 libetpan libconfig sqlite3 gnutls libexttextcat json-glib-1.0 libxml-2.0 libzstd"
cc -O2 $(pkg-config --cflags $PKGS) -Isrc -o $B/parse_only tests/bench/parse_only.c $B/libguichet.a \
   $(pkg-config --libs $PKGS | sed 's|-specs=[^ ]*||g')
read pn ps pmb pcpu < <(find "$C" -name '*.eml' | sort | $B/parse_only)
# the disk's ceiling: one fsync'ed SQLite commit of an average message
ceiling=$(python3 tests/bench/commit_ceiling.py "$W/ceiling.db" 1000 "$(calc "int($MB * 1048576 / $N)")")
# 3. ingest, fresh store each run; ingest commits durably in groups (every
#    256 messages or 200 ms) and prints a message only once it is on disk
# (wall time; the CPU time of the process too, for shared machines)
rates=(); mbs=(); rss=(); cpus=(); wbs=(); dry=(); dwbs=()
TIMEFORMAT='%R %U %S'
# the learned model is trained once beforehand, not inside the first run
"$G" --config "$W/bench.conf" --db "$W/bench.db" learn > "$W/learn.log"
for i in $(seq "$RUNS"); do
	rm -f "$W/bench.db"*
	{ time GUICHET_PROFILE=1 "$G" --config "$W/bench.conf" --db "$W/bench.db" ingest "$C" \
	    > /dev/null 2> "$W/ingest-$i.log"; } 2> "$W/time-$i"
	read -r s u sy < "$W/time-$i"
	rates+=("$(calc "$N / $s")"); mbs+=("$(calc "$MB / $s")")
	cpus+=("$(calc "$N / ($u + $sy)")")
	rss+=("$(awk '/peak RSS/ {print $4}' "$W/ingest-$i.log")")
	wbs+=("$(iolog "$W/ingest-$i.log")")
	# side by side: the same corpus with --dry-run (no store), interleaved
	rm -f "$W/bench.db"*
	{ time GUICHET_PROFILE=1 "$G" --config "$W/bench.conf" --db "$W/bench.db" ingest --dry-run "$C" \
	    > /dev/null 2> "$W/dry-$i.log"; } 2> "$W/time-dry-$i"
	read -r s u sy < "$W/time-dry-$i"
	dry+=("$(calc "$N / $s")")
	dwbs+=("$(iolog "$W/dry-$i.log")")
done
# 3b. one run with the learned model off, for its cost
{ cat "$W/bench.conf"; echo 'model = { enabled = false; };'; } > "$W/bench-nomodel.conf"
rm -f "$W/bench.db"*
{ time GUICHET_PROFILE=1 "$G" --config "$W/bench-nomodel.conf" --db "$W/bench.db" ingest "$C" \
    > /dev/null 2> "$W/ingest-nomodel.log"; } 2> "$W/time-nomodel"
read -r s u sy < "$W/time-nomodel"
nomodel_rate=$(calc "$N / $s"); nomodel_cpu=$(calc "$N / ($u + $sy)")
model_s=$(awk '/^profile: model / {print $3}' "$W/ingest-$RUNS.log")
# 4. memory after 1,000 messages
mkdir -p "$W/first1000"; rm -f "$W/first1000"/*
find "$C" -name '*.eml' | sort | head -n 1000 | xargs -I{} ln -sf {} "$W/first1000/"
rm -f "$W/small.db"*
GUICHET_PROFILE=1 "$G" --config "$W/bench.conf" --db "$W/small.db" ingest "$W/first1000" > /dev/null 2> "$W/ingest-1000.log"
rss1000=$(awk '/peak RSS/ {print $4}' "$W/ingest-1000.log")
# the floor: a process that links the same libraries, initialises them as
# guichet does and exits (tests/bench/floor.c; median of 3), `guichet
# --version`, and `guichet check` (configuration, rules and templates
# loaded); peak RSS of each, by GNU time (debian: time)
peak() { /usr/bin/time -f %M -o "$W/peak" "$@" > /dev/null 2>&1 && cat "$W/peak" || echo "?"; }
if [ -n "$FLOOR" ] && [ -x "$FLOOR" ]; then
	rss_floor=$(for _ in 1 2 3; do "$FLOOR" | awk '{print $4}'; done | median)
	floor_parts=$("$FLOOR" | sed 's/.*; //')
else
	rss_floor=$(peak "$G" --version) floor_parts="guichet --version"
fi
rss_version=$(peak "$G" --version)
rss_check=$(peak "$G" --config "$W/bench.conf" check)
# beside a peak: the floor and what guichet adds to it
overfloor() { [ -n "$1" ] && [ "$1" != "?" ] && echo "$1 kB (floor $rss_floor kB, +$(( $1 - rss_floor )) kB)" || echo "${1:-?} kB"; }
model_kb=$(( $(stat -c %s "$W/guichet.model" 2>/dev/null || echo 0) / 1024 ))

echo
printf '%-52s %s\n' "measure" "value"
printf '%-52s %s\n' "-------" "-----"
row "corpus" "$N messages, $MB MB (tests/bench/gencorpus.py, seed 42)"
row "parse only (GMime + text extraction)" "$(calc "$pn / $ps" | xargs printf '%.0f') msg/s ($(calc "$pn / $pcpu" | xargs printf '%.0f') per CPU second)"
row "fsync'ed commits/s of this disk (1 message each)" "$ceiling (tests/bench/commit_ceiling.py; the daemon's bound)"
row "ingest, durable group commits (median of $RUNS)" \
    "$(printf '%s\n' "${rates[@]}" | median | xargs printf '%.0f') msg/s, $(printf '%s\n' "${mbs[@]}" | median | xargs printf '%.1f') MB/s; $(written "$(printf '%s\n' "${wbs[@]}" | median)" "$N" "$CBYTES")"
row "  runs" "$(printf '%.0f ' "${rates[@]}")msg/s"
row "ingest --dry-run, interleaved (median of $RUNS)" \
    "$(printf '%s\n' "${dry[@]}" | median | xargs printf '%.0f') msg/s (durable: $(calc "$(printf '%s\n' "${dry[@]}" | median) / $(printf '%s\n' "${rates[@]}" | median)" | xargs printf '%.2f')x its time); $(written "$(printf '%s\n' "${dwbs[@]}" | median)" "$N" "$CBYTES")"
row "  per CPU second (user+sys, median)" "$(printf '%s\n' "${cpus[@]}" | median | xargs printf '%.0f') msg/s"
grep '^profile: ' "$W/ingest-$RUNS.log" | grep -v 'RSS\|I/O\|waited' | while read -r _ name rest; do
	row "  stage: $(echo "$name $rest" | sed 's/ *[0-9.]* s .*//')" "$(echo "$rest" | grep -oE '[0-9.]+ s +[0-9.]+%' | tail -n1)"
done
# ingest stores in one thread while a second reads and labels the next
# files: the store's thread idle most of the time means the store is not
# the bound (the classifying is)
row "  the storing thread idle, waiting for the read-ahead" "$(awk '/waited/ {print $6 " s (the read-ahead waited " $13 " s for room)"}' "$W/ingest-$RUNS.log")"
row "ingest with the learned model off (1 run)" "$(printf '%.0f' "$nomodel_rate") msg/s, $(printf '%.0f' "$nomodel_cpu") per CPU second; $(io "$W/ingest-nomodel.log" "$N" "$CBYTES")"
row "learned model per message (features + 4 labels)" "$(calc "1e6 * ${model_s:-0} / $N" | xargs printf '%.0f') us"
row "peak RSS, $N messages" "$(overfloor "$(printf '%s\n' "${rss[@]}" | median | xargs printf '%.0f')")"
row "peak RSS, 1000 messages" "$(overfloor "$rss1000"); $(io "$W/ingest-1000.log" 1000 "$(find "$W/first1000" -name '*.eml' -exec cat {} + | wc -c)")"
row "  at exit: anonymous / shared-library files" "$(awk '/RSS at exit/ {print $6 " / " $9 " kB"}' "$W/ingest-$RUNS.log")"
row "  floor (tests/bench/floor.c: the same libraries, exits)" "$rss_floor kB ($floor_parts)"
row "  guichet --version / guichet check" "$rss_version kB / $rss_check kB (the model file, mapped by ingest: $model_kb kB)"

# 5. delivery-to-acknowledgment latency on the local mail stack
if [ -x tests/bench/latency.sh ]; then
	tests/bench/latency.sh "$G" "$LN" 2>"$W/latency.log" | while IFS='|' read -r k v; do row "$k" "$v"; done || \
	    row "latency" "failed (see $W/latency.log)"
fi
# 6. stats, export, report on a synthetic store
if [ -f tests/bench/genstore.py ]; then
	S="$W/store-$SN.db"
	[ -f "$S.done" ] || { rm -f "$S"*; python3 tests/bench/genstore.py "$S" "$SN" >"$W/genstore.log" 2>&1 && touch "$S.done"; }
	timeit() {	# label command...: median of 3 wall times (and of CPU times)
		local l=$1; shift; local ts=() cs=() r u sy
		for _ in 1 2 3; do
			{ time GUICHET_PROFILE=1 "$@" > /dev/null 2>"$W/timeit.log"; } 2> "$W/timeit" ||
			    { row "$l" "failed"; return; }
			read -r r u sy < "$W/timeit"
			ts+=("$r"); cs+=("$(calc "$u + $sy")")
		done
		row "$l" "$(printf '%s\n' "${ts[@]}" | median | xargs printf '%.3f') s ($(printf '%s\n' "${cs[@]}" | median | xargs printf '%.2f') s CPU); $(iolog "$W/timeit.log" | xargs -r printf 'written %s B')"
	}
	Y=$(sqlite3 "$S" "SELECT strftime('%Y', max(created), 'unixepoch') FROM requests")
	timeit "stats, $SN requests" "$G" --config "$W/bench.conf" --db "$S" stats --format json
	timeit "stats --by domain,month, $SN requests" "$G" --config "$W/bench.conf" --db "$S" stats --by domain,month
	timeit "export --year $Y, $SN requests" "$G" --config "$W/bench.conf" --db "$S" export --year "$Y"
	timeit "report --year $Y, $SN requests" "$G" --config "$W/bench.conf" --db "$S" report --year "$Y" -o "$W/report.html"
	# store growth: the same 2,000 messages into a fresh store and into a
	# copy of the synthetic one (its counters let new references follow)
	mkdir -p "$W/first2000"; rm -f "$W/first2000"/*
	find "$C" -name '*.eml' | sort | head -n 2000 | xargs -I{} ln -sf {} "$W/first2000/"
	grow() {	# DB: wall seconds of ingesting first2000 into DB (profile in DB.log)
		{ time GUICHET_PROFILE=1 "$G" --config "$W/bench.conf" --db "$1" ingest "$W/first2000" \
		    > /dev/null 2>"$1.log"; } 2> "$W/timeit" ||
		    { echo fail; return; }
		read -r r _ < "$W/timeit"; echo "$r"
	}
	rm -f "$W/grow-fresh.db"*; cp "$S" "$W/grow-big.db"; rm -f "$W/grow-big.db-"*
	tf=$(grow "$W/grow-fresh.db") tb=$(grow "$W/grow-big.db")
	b2000=$(find "$W/first2000" -name '*.eml' -exec cat {} + | wc -c)
	row "ingest 2000 into a store of $SN requests" "$tb s (fresh store: $tf s; $(calc "$tb / $tf" | xargs printf '%.2f')x); $(io "$W/grow-big.db.log" 2000 "$b2000")"
	row "  into the fresh store" "$(io "$W/grow-fresh.db.log" 2000 "$b2000")"
	rm -f "$W/grow-fresh.db"* "$W/grow-big.db"*
fi
# 7. a burst through the daemon: N requests waiting in the contact folder,
# with the test Exim as it comes (queueing after 10 messages a connection)
# and delivering every reply at once on the same two cores (burst.sh)
if [ -x tests/bench/burst.sh ]; then
	for q in 10 0; do
		BURST_EXIM_QUEUE=$q BURST_FLOOR=$rss_floor tests/bench/burst.sh "$G" "${BENCH_BURST_N:-1000}" 2>>"$W/burst.log" |
		    while IFS='|' read -r k v; do row "$k" "$v"; done || \
		    row "burst" "failed (see $W/burst.log)"
	done
fi
