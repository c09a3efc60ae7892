#!/bin/bash
# prequential.sh: per-message evidence of the rules and the model on mail
# that neither had seen, for choosing how they combine (classify.c).
#
# Each folder of rules/training was added at a known commit; at the commit
# just before (or at the commit rules/training/README says it was first
# scored at), neither the rules nor the model had seen it.  "collect"
# builds each such commit in a detached worktree of its own ($OLD, removed
# at the end) and runs its `guichet explain --json` on the folder (as it
# was added: `git archive`), which gives the rules' top two labels and
# evidence, the model's top two and probabilities, and the combined
# label of that commit ("old" rows).  It then runs the current binary
# with a model trained on today's rules/training without that folder
# ("now" rows: today's model, which reads unseen mail better than the
# old ones; but its features include today's rule hits, and today's rules
# have seen the folder, so these rows flatter the model a little).  The
# rows go to tests/training/prequential.tsv.gz (columns: prequential.py).
# Each run has a folder of its own under $TMPD (its model is kept there).
# "simulate" replays combinations on those rows (prequential.py).
# Usage (from the repository root, after make):
#   tests/training/prequential.sh collect     # ~25 min on 2 cores
#   tests/training/prequential.sh simulate [prequential.py options]
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
: "${GUICHET:=$ROOT/guichet}" "${TMPD:=$ROOT/tests/tmp/prequential}"
: "${OLD:=$ROOT/../$(basename "$ROOT")-old}" "${OUT:=$ROOT/tests/training/prequential.tsv.gz}"

# folder  commit whose rules and model had not seen it  commit that added it
PLAN="
fresh2    bea84a7^ bea84a7
fresh3    bea84a7^ 490234f
domain4   f32dc12^ f32dc12
urgent4   0d23e20^ 0d23e20
domain5   45b1373^ 45b1373
domain6   641121e^ 641121e
domain7   65646c5^ 65646c5
domain8   99dc474^ 99dc474
domain9   3ead409^ 3ead409
domain10  1a7a719^ 1a7a719
domain11  4f9d344^ 4f9d344
domain12  8b5d3c2^ 8b5d3c2
urgent5   7cc0205  ecfd5e5
urgent6   054ed03^ 054ed03
urgent7   5e478b0^ 5e478b0
urgent8   1a50be0^ 1a50be0
urgent9   9c06214^ 9c06214
urgent10  10809d7  8d6a5c4
domain15  f8d55d1^ f8d55d1
domain16  f8d55d1^ f8d55d1
urgent11  e57e4ee  59e1123
urgent12  e57e4ee  fe86e81
domain17  ff883b2  a571fbf
domain18  a571fbf  f310a43
"

collect() {
	mkdir -p "$TMPD"
	[ -d "$OLD" ] || git worktree add -q --detach "$OLD" HEAD
	echo "$PLAN" | while read -r f at added; do
		[ -n "$f" ] || continue
		local c; c=$(git rev-parse --short "$at")
		rm -rf "${TMPD:?}/${f:?}" && mkdir -p "$TMPD/$f"
		git archive "$added" "rules/training/$f" | tar -x -C "$TMPD/$f" --strip-components=2
		if [ ! -s "$TMPD/$f.old.jsonl" ]; then
			( cd "$OLD" && git checkout -q --detach "$c" &&
			  { grep -q MMD Makefile || make -s clean >/dev/null 2>&1 || true; } &&
			  make -s -j2 guichet >"$TMPD/build-$c.log" 2>&1 && mkdir -p "$TMPD/old-$c" &&
			  ./guichet --config guichet.conf --db "$TMPD/old-$c/guichet.db" explain --json \
			      "$TMPD/$f/$f"/*.eml >"$TMPD/$f.old.jsonl" 2>"$TMPD/$f.old.err" ) ||
			    { echo "$f at $c: failed (see $TMPD)" >&2; continue; }
		fi
		if [ ! -s "$TMPD/$f.now.jsonl" ]; then
			rm -rf "$TMPD/train-$f" && mkdir -p "$TMPD/train-$f"
			for d in rules/training/*/; do
				d=${d%/}; [ "$(basename "$d")" = "$f" ] || ln -s "$ROOT/$d" "$TMPD/train-$f/"
			done
			sed -e "s|rules = \"rules\";|rules = \"$ROOT/rules\"; training = \"$TMPD/train-$f\";|" \
			    -e "s|templates = \"templates\";|templates = \"$ROOT/templates\";|" \
			    guichet.conf >"$TMPD/now-$f.conf" && mkdir -p "$TMPD/now-$f"
			"$GUICHET" --config "$TMPD/now-$f.conf" --db "$TMPD/now-$f/guichet.db" explain --json \
			    "$TMPD/$f/$f"/*.eml >"$TMPD/$f.now.jsonl" 2>"$TMPD/$f.now.err" ||
			    echo "$f now: failed" >&2
		fi
		echo "$f: old at $c, now without it: $(wc -l <"$TMPD/$f.old.jsonl") $(wc -l <"$TMPD/$f.now.jsonl")" >&2
	done
	echo "$PLAN" | python3 tests/training/prequential.py --tsv "$TMPD" | gzip -9n >"$OUT"
	git worktree remove --force "$OLD"
}

case "${1:-}" in
collect) collect ;;
simulate) shift; python3 tests/training/prequential.py "$OUT" "$@" ;;
*) echo "usage: $0 collect | simulate [options]" >&2; exit 1 ;;
esac
