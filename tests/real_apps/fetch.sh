#!/usr/bin/env bash
# The real apps' wheels (wheels.txt: URL and sha256, pinned), fetched from
# PyPI into DIR/wheels (kept between runs), checked, and unpacked into
# DIR/site-packages, where ormsh reads the apps' source as a virtualenv's.
# Third-party code is never committed: this is how tests get it.
# Usage: tests/real_apps/fetch.sh [DIR]   (default: target/real-apps)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$here/../../target/real-apps}"
mkdir -p "$dir/wheels"
while read -r url sha; do
    [ -n "$url" ] || continue
    file="$dir/wheels/$(basename "$url")"
    if [ ! -f "$file" ] || ! echo "$sha  $file" | sha256sum -c --status; then
        curl -fsSL --retry 3 -o "$file.part" "$url"
        echo "$sha  $file.part" | sha256sum -c --status || { echo "fetch.sh: $(basename "$url"): sha256 differs" >&2; exit 1; }
        mv "$file.part" "$file"
    fi
done < "$here/wheels.txt"
rm -rf "$dir/site-packages.part"
mkdir -p "$dir/site-packages.part"
for wheel in "$dir"/wheels/*.whl; do
    unzip -qo "$wheel" -d "$dir/site-packages.part"
done
rm -rf "$dir/site-packages"
mv "$dir/site-packages.part" "$dir/site-packages"
