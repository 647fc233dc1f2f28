#!/usr/bin/env bash
# `vitrine edit SCENE --script EDITS.txt` end to end, on a copy of the demo (scenes/ copied,
# assets/ linked beside it so `search: [../assets]` resolves; the repository is never
# written): a script whose line 3 fails exits 1 naming EDITS.txt:3: and leaves the scene
# byte for byte as it was; a good script with --save changes the file, keeps the old one
# as SCENE~ and every comment line, and the result checks clean; a show with problems is
# saved only with --force; --save-as OUT writes OUT (what --print printed) and leaves the
# original untouched.
# usage: edit_script.sh VITRINE REPO_DIR
set -euo pipefail
vitrine=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/scenes" "$work/scenes"
ln -s "$repo/assets" "$work/assets"
cd "$work"
scene=scenes/demo.scene.yaml
cp "$scene" original.yaml
fail() { echo "FAILED: $*"; [ -f err.txt ] && cat err.txt; exit 1; }

# A bad line 3 (a node that is not there, then an unknown verb): exit 1, the place named,
# nothing saved.
printf 'move vase -0.2 0 0\nset look.exposure 0.3\nmove nosuch 1 0 0\nset seed 9\n' > EDITS.txt
rc=0; "$vitrine" edit "$scene" --script EDITS.txt --save > out.txt 2> err.txt || rc=$?
[ "$rc" = 1 ] || fail "a script with a bad line 3 exited $rc, not 1"
grep -q "EDITS.txt:3: no node 'nosuch'" err.txt || fail "stderr does not name EDITS.txt:3:"
grep -q "nothing saved" err.txt || fail "stderr does not say nothing was saved"
cmp -s "$scene" original.yaml || fail "the scene changed after a failed script"
[ ! -e "$scene~" ] || fail "a failed script left $scene~"
printf 'move vase -0.2 0 0\n# a comment line\nmvoe vase 1 0 0\n' > EDITS.txt
rc=0; "$vitrine" edit "$scene" --script EDITS.txt --save > out.txt 2> err.txt || rc=$?
[ "$rc" = 1 ] || fail "a script with an unknown verb on line 3 exited $rc, not 1"
grep -q "EDITS.txt:3: unknown command 'mvoe'" err.txt || fail "stderr does not name EDITS.txt:3: for the unknown verb"
cmp -s "$scene" original.yaml || fail "the scene changed after a script with an unknown verb"

# A script that is not text (a binary file given by mistake): one line naming the place, nothing saved.
printf 'move vase 0 0.1 0\n\xff\xfe\x00junk\n' > EDITS.txt
rc=0; "$vitrine" edit "$scene" --script EDITS.txt --save > out.txt 2> err.txt || rc=$?
[ "$rc" = 1 ] || fail "a binary script exited $rc, not 1"
[ "$(wc -l < err.txt)" = 1 ] && grep -q "EDITS.txt:2:1: .*nothing saved" err.txt || fail "a binary script: not one line naming EDITS.txt:2:1"
cmp -s "$scene" original.yaml || fail "the scene changed after a binary script"

# A good script, saved in place.
cat > EDITS.txt <<'EDITS'
# nudge the vase, brighten the tour, rename the narrator
move vase 0 0.25 0
set look.exposure 0.3
key add attract sweep.translation 7.5 [0, 1.5, 1.2]

cue set 2 name the jar, in blue
node add light fill
node rename narrator voice    # the cues follow
EDITS
"$vitrine" edit "$scene" --script EDITS.txt --save 2> err.txt || fail "a good script with --save exited $?"
cmp -s "$scene~" original.yaml || fail "$scene~ is not the previous version"
! cmp -s "$scene" original.yaml || fail "--save did not change the scene"
grep -qF "        translation: [-0.55, 0.25, 0]" "$scene" || fail "the vase did not move"
grep -qF "look: {tonemap: khr-pbr-neutral, exposure: 0.3, background: sky}" "$scene" || fail "look.exposure not set"
grep -qF "          - {t: 7.5, value: [0, 1.5, 1.2]}" "$scene" || fail "the key was not added"
grep -qF '    name: "the jar, in blue"' "$scene" || fail "the cue was not renamed"
grep -qF "  - name: fill" "$scene" || fail "the light was not added"
grep -qF "      - {seek_sound: voice, to: 8}     # the jar's paragraph" "$scene" || fail "the rename missed a cue"
! grep -q "narrator}" "$scene" || fail "a reference to the old name is left"
diff <(grep '^ *#' original.yaml) <(grep '^ *#' "$scene") > /dev/null || fail "comment lines changed"
"$vitrine" check "$scene" > check.txt 2>&1 || { cat check.txt; fail "the edited scene does not check clean"; }
edited=$(cat "$scene")

# A show with problems is saved only with --force.
printf 'set camera nowhere_cam\n' > EDITS.txt
rc=0; "$vitrine" edit "$scene" --script EDITS.txt --save > out.txt 2> err.txt || rc=$?
[ "$rc" = 1 ] || fail "a show with problems was saved without --force (exit $rc)"
grep -q "nowhere_cam" err.txt || fail "the problem is not printed"
[ "$(cat "$scene")" = "$edited" ] || fail "the scene changed when saving was refused"
"$vitrine" edit "$scene" --script EDITS.txt --save --force > out.txt 2> err.txt || fail "--force did not save (exit $?)"
grep -qx "camera: nowhere_cam" "$scene" || fail "--force saved something else"
[ "$(cat "$scene~")" = "$edited" ] || fail "$scene~ is not the version before the forced save"
rc=0; "$vitrine" check "$scene" > check.txt 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "check passes a scene with a dangling camera"
cp original.yaml "$scene"

# --save-as: the original untouched, OUT what --print printed, and it checks clean.
printf 'set seed 9\nnode duplicate bowl bowl_copy\nmove bowl_copy 0 0 0.5\n' > EDITS.txt
"$vitrine" edit "$scene" --script EDITS.txt --save-as scenes/out.scene.yaml --print > printed.yaml 2> err.txt ||
  fail "--save-as exited $?"
cmp -s "$scene" original.yaml || fail "--save-as changed the original"
cmp -s printed.yaml scenes/out.scene.yaml || fail "--print did not print what --save-as wrote"
grep -qx "seed: 9" scenes/out.scene.yaml || fail "OUT lacks the edit"
grep -qF "      - {name: bowl_copy, model: jade, animation: Turntable, translation: [0.55, 0, 0.5], rotation: [0, 80, 0]}" \
  scenes/out.scene.yaml || fail "OUT lacks the duplicated bowl"
"$vitrine" check scenes/out.scene.yaml > check.txt 2>&1 || { cat check.txt; fail "OUT does not check clean"; }
# No edits to save: the file is left alone.
: > EDITS.txt
"$vitrine" edit "$scene" --script EDITS.txt --save 2> err.txt || fail "an empty script exited $?"
cmp -s "$scene" original.yaml || fail "an empty script changed the scene"
echo "edit --script: a bad line refused with its place, --save with SCENE~, --force, --save-as: ok"
