#!/bin/bash
# accuracy2.sh: the same scoring and thresholds as accuracy.sh on the second,
# independently written labelled set tests/labelled2 (a check of how the
# shipped rules generalise beyond the set they were tuned on).
set -eu
LABELLED=tests/labelled2 exec bash "$(dirname "$0")/accuracy.sh"
