#!/bin/bash
# accuracy-heldout.sh: the same scoring and thresholds as accuracy.sh on
# tests/heldout, the set written without reading the rules or the training
# data and never used for training or tuning (see its README).  Only the
# lead looks at its results.  A measure, not a regression test: it prints
# the figures and passes.
set -eu
REPORT_ONLY=1 LABELLED=tests/heldout exec bash "$(dirname "$0")/accuracy.sh"
