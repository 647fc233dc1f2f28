#!/usr/bin/env bash
# Writes the demo tour's narration: one short spoken paragraph per relic, made by
# espeak-ng (Debian package espeak-ng; tools/install-deps.sh installs it) with a fixed
# voice and a measured museum pace, 16-bit PCM mono at espeak-ng's 22050 Hz.
#
# usage: tools/make-narration.sh OUT.wav
#
# The paragraphs start exactly 8 s apart, at the tour's labels (scenes/demo.scene.yaml:
# vase 0, jar 8, bowl 16), so a jump to a label seeks the narration to the same second.
# Each is spoken alone (-w to a file) and padded with silence to its 8 s slot; the last
# one is not padded. The output is deterministic: espeak-ng and Python's wave module
# write the same bytes for the same text (tests/assets_reproducible.sh checks it).
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT.wav" >&2
  exit 2
fi
out=$1
if ! command -v espeak-ng >/dev/null; then
  echo "make-narration: error: espeak-ng not found; install it (tools/install-deps.sh, or apt-get install espeak-ng)" >&2
  exit 1
fi
paragraphs=(
  "This bronze vase was cast in a clay mould. Its green patina grew slowly, over centuries."
  "This porcelain jar is painted in cobalt blue, under a clear and glassy glaze."
  "This jade bowl was carved from a single stone. Light seems to glow from within it."
)
slot_seconds=8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
parts=()
for i in "${!paragraphs[@]}"; do
  espeak-ng -v en-gb -s 140 -w "$tmp/part$i.wav" "${paragraphs[$i]}"
  parts+=("$tmp/part$i.wav")
done
python3 - "$out" "$slot_seconds" "${parts[@]}" <<'EOF'
import sys, wave
out, slot, parts = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
frames, params = [], None
for i, path in enumerate(parts):
    with wave.open(path, "rb") as w:
        p = (w.getnchannels(), w.getsampwidth(), w.getframerate())
        if params not in (None, p):
            sys.exit(f"make-narration: error: {path}: format {p} differs from {params}")
        params = p
        data = w.readframes(w.getnframes())
    block = p[0] * p[1]
    slot_bytes = int(slot * p[2]) * block
    if i + 1 < len(parts):
        if len(data) > slot_bytes:
            sys.exit(f"make-narration: error: paragraph {i + 1} lasts {len(data) / block / p[2]:.1f} s, "
                     f"longer than its {slot:g} s slot; shorten it")
        data += b"\0" * (slot_bytes - len(data))
    frames.append(data)
with wave.open(out, "wb") as w:
    w.setnchannels(params[0]); w.setsampwidth(params[1]); w.setframerate(params[2])
    w.writeframes(b"".join(frames))
EOF
