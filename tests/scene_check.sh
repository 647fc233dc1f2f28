#!/usr/bin/env bash
# `vitrine check` finds every mistake of tests/scenes/broken.scene.yaml, one line each
# with file:line:column, exactly as in broken.expected, and exits 1; the demo scene
# checks clean (every asset loaded, the hooks compiled) and exits 0.
# usage: scene_check.sh VITRINE REPO_DIR   (paths in the report are relative to REPO_DIR)
set -u
vitrine=$1
cd "$2" || exit 1
actual=$("$vitrine" check tests/scenes/broken.scene.yaml 2>/dev/null); rc=$?
[ $rc = 1 ] || { echo "check of the broken scene: expected exit 1, got $rc"; exit 1; }
diff <(echo "$actual") tests/scenes/broken.expected || { echo "the report differs from tests/scenes/broken.expected"; exit 1; }
for s in scenes/*.scene.yaml; do "$vitrine" check "$s" || { echo "$s does not check clean"; exit 1; }; done
for d in scenes/displays/*.display.yaml; do "$vitrine" check "$d" >/dev/null || { echo "$d does not check clean"; exit 1; }; done
"$vitrine" info scenes/demo.scene.yaml | grep -q "tour: 24 s" || { echo "info does not list the tour timeline"; exit 1; }
echo "check: $(wc -l < tests/scenes/broken.expected) problems found with their locations; the demo is clean"
