#!/bin/bash
# accuracy-blind.sh: the same scoring and thresholds as accuracy.sh on
# tests/blind, the set never used for training or tuning (see its README).
set -eu
LABELLED=tests/blind exec bash "$(dirname "$0")/accuracy.sh"
