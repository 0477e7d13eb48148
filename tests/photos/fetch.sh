#!/usr/bin/env bash
# Public-domain test photos, taken from Debian's packages rather than committed:
#   astronaut.png  — python3-skimage (NASA portrait of Eileen Collins, public domain)
#   camera.png     — python3-skimage ("cameraman", CC0 as scikit-image ships it)
#   grace_hopper.jpg — python-matplotlib-data (U.S. Navy portrait of Grace Hopper, public domain)
# The packages are downloaded and unpacked here (no install, no dependencies) into tests/photos/debian/.
set -euo pipefail
cd "$(dirname "$0")"
target=debian
if [ -f "$target/astronaut.png" ] && [ -f "$target/camera.png" ] && [ -f "$target/grace_hopper.jpg" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq python3-skimage python-matplotlib-data 2>/dev/null) || {
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  (cd "$work" && apt-get download -qq python3-skimage python-matplotlib-data 2>/dev/null)
}
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
mkdir -p "$target"
cp "$work/root/usr/lib/python3/dist-packages/skimage/data/astronaut.png" \
   "$work/root/usr/lib/python3/dist-packages/skimage/data/camera.png" \
   "$work/root/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg" "$target/"
