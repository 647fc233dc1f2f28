#!/usr/bin/env bash
# `vitrine info` reports what a technician needs: counts, textures with sizes,
# extensions (and which are unsupported), bounds in metres, animations, problems.
set -u
vitrine=$1 models=$2 relic=$3
fail() { echo "info: $1"; echo "$out"; exit 1; }
out=$("$vitrine" info "$relic") || fail "exit $? on the relic"
for want in "triangles:   67680" "vessel_basecolor.png: 1024x512 sRGB" "vessel_normal.png: 1024x512 linear" \
            "size:        0.3400 x 0.4870 x 0.3400 m" "Turntable: 40.000 s" "problems:    0"; do
  grep -qF -- "$want" <<<"$out" || fail "relic report lacks '$want'"
done
if [ -d "$models" ]; then
  out=$("$vitrine" info "$models/Box/glTF-Draco/Box.gltf") || fail "exit $? on Box Draco"
  grep -qF "triangles:   12" <<<"$out" || fail "Draco box should have 12 triangles"
  grep -q "extensions required: KHR_draco_mesh_compression" <<<"$out" || fail "Draco should be listed as required"
  grep -q "not supported:       none" <<<"$out" || fail "Draco is supported"
  out=$("$vitrine" info "$models/AnisotropyBarnLamp/glTF-KTX2-Basisu/AnisotropyBarnLamp.gltf") || fail "exit $? on the barn lamp"
  grep -q "not supported:.*KHR_texture_basisu" <<<"$out" || fail "KTX2/Basis textures must be reported as unsupported"
  grep -q "not supported:.*KHR_materials_anisotropy" <<<"$out" || fail "anisotropy must be reported as unsupported"
  out=$("$vitrine" info "$models/Fox/glTF-Binary/Fox.glb") || fail "exit $? on Fox"
  grep -q "Survey: 3.4" <<<"$out" || fail "Fox's Survey animation and duration"
  grep -q "skins:       1" <<<"$out" || fail "Fox has one skin"
fi
echo "info ok"
