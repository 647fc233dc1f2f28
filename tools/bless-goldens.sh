#!/usr/bin/env bash
# Re-renders golden images on purpose: tools/bless-goldens.sh [BUILD_DIR] [TEST_REGEX]
# Say why in the commit message that adds the new goldens.
set -euo pipefail
build=${1:-build}
regex=${2:-.}
VITRINE_BLESS=1 ctest --test-dir "$build" -L golden -R "$regex" --output-on-failure
git -C "$(dirname "$0")/.." status --short tests/golden
