#!/bin/bash
# accuracy-blind.sh: the same scoring and thresholds as accuracy.sh on
# tests/blind, the set never used for training or tuning (see its README).
# A measure, not a regression test: it prints the figures and passes.
set -eu
REPORT_ONLY=1 LABELLED=tests/blind exec bash "$(dirname "$0")/accuracy.sh"
