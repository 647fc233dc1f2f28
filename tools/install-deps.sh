#!/usr/bin/env bash
# Installs every Debian 12 package Vitrine needs to build, run and test.
# Only missing packages are installed; nothing is downloaded at build time.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config dpkg-dev
  libvulkan-dev vulkan-validationlayers mesa-vulkan-drivers glslc spirv-tools vulkan-tools
  libglfw3-dev libglm-dev
  libtinygltf-dev libstb-dev nlohmann-json3-dev
  libdraco-dev libmeshoptimizer-dev libgtest-dev libpng-dev
  libyaml-cpp-dev liblua5.4-dev liblo-dev
  libjpeg62-turbo-dev libturbojpeg0-dev libtiff-dev liblcms2-dev libzip-dev libvips-tools libjpeg-turbo-progs
  libopenal-dev libsndfile1-dev espeak-ng libmicrohttpd-dev libimgui-dev
  fonts-dejavu-core fonts-wqy-microhei
  xvfb xauth xdotool python3 tzdata
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "tools/install-deps.sh: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "tools/install-deps.sh: all packages present"
fi
