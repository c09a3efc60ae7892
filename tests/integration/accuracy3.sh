#!/bin/bash
# accuracy3.sh: the same scoring and thresholds as accuracy.sh on the third
# labelled set tests/labelled3 (h12's blind urgency batches: urgent requests
# in 16 languages and non-urgent look-alikes).
set -eu
LABELLED=tests/labelled3 exec bash "$(dirname "$0")/accuracy.sh"
