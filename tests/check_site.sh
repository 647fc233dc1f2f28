#!/usr/bin/env bash
# `vitrine check` on site files: the demo site and a site using every key check clean
# (their scenes, hooks, assets and display loaded) and print the week, the ports and
# whether the site is open now; tests/sites/bad.site.yaml lists every mistake with its
# file:line:column exactly as in tests/sites/bad.expected and exits 1; a site whose
# scene has problems reports the scene's problems in the scene's places.
# usage: check_site.sh VITRINE REPO_DIR   (paths in the report are relative to REPO_DIR)
set -u
vitrine=$1
cd "$2" || exit 1
out=$("$vitrine" check scenes/demo.site.yaml 2>&1); rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAILED: scenes/demo.site.yaml exited $rc"; exit 1; }
for line in "scenes/demo.site.yaml: ok (scene scenes/demo.scene.yaml)" "  monday     closed" "  sunday     09:00-18:00" \
            "  closed     2026-12-25" "  restart: every day at 04:00, while closed" "  outside hours: black and silent" "  osc: 127.0.0.1:9000" "  audio: stereo" \
            "  watchdog: 10 s"; do
  echo "$out" | grep -qxF "$line" || { echo "FAILED: the demo's report lacks '$line'"; exit 1; }
done
echo "$out" | grep -qE "^  now: (open|closed); (opens|closes) ... [0-9-]+ [0-9:]+ \(in " ||
  { echo "FAILED: no 'now' line"; exit 1; }
out=$("$vitrine" check tests/sites/gallery.site.yaml 2>&1); rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAILED: tests/sites/gallery.site.yaml exited $rc"; exit 1; }
echo "$out" | grep -qxF "  thursday   10:00-13:00, 14:00-22:00" && echo "$out" | grep -qxF "  saturday   18:00-02:00" &&
  echo "$out" | grep -qxF "  osc: 0.0.0.0:9100 (with a secret)" && echo "$out" | grep -qxF "  metrics: 127.0.0.1:9101" &&
  echo "$out" | grep -qxF "  restart: every day at 04:30, while open on sunday (visitors see it)" ||
  { echo "FAILED: the gallery's report is not what its file says"; exit 1; }
actual=$("$vitrine" check tests/sites/bad.site.yaml 2>/dev/null); rc=$?
[ $rc -eq 1 ] || { echo "FAILED: check of the bad site: expected exit 1, got $rc"; exit 1; }
diff <(echo "$actual") tests/sites/bad.expected || { echo "FAILED: the report differs from tests/sites/bad.expected"; exit 1; }
out=$("$vitrine" check tests/sites/broken_scene.site.yaml 2>&1); rc=$?
echo "$out"
[ $rc -eq 1 ] && echo "$out" | grep -qF "tests/sites/broken.scene.yaml:6:5: unknown key 'camra' in node 'cam' (did you mean 'camera'?)" ||
  { echo "FAILED: the scene's problems are not reported by the site's check"; exit 1; }
echo "check site: ok ($(wc -l < tests/sites/bad.expected) problems of the bad site found with their places)"
