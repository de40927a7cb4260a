#!/usr/bin/env bash
# Vendors Apache ECharts into the static files: `npm pack` of the pinned version from the npm
# registry (npm's cache makes a repeat free), then dist/echarts.min.js with its LICENSE and
# NOTICE beside it, and the version in VERSION. Run by `make setup` (so by `make test`,
# `make serve` and .ci/run); the result is git-ignored (docs/architecture.md says why).
set -euo pipefail
version="${1:?usage: vendor_echarts.sh VERSION DEST}"
dest="${2:?usage: vendor_echarts.sh VERSION DEST}"
command -v npm >/dev/null || { echo "npm is needed to vendor ECharts (Debian: apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@${version}" >/dev/null)
tar -xzf "$work/echarts-${version}.tgz" -C "$work" package/dist/echarts.min.js package/LICENSE \
    package/NOTICE package/package.json
got="$(node -p "require('$work/package/package.json').version" 2>/dev/null || echo "$version")"
[ "$got" = "$version" ] || { echo "npm gave echarts $got, not the pinned $version" >&2; exit 1; }
mkdir -p "$dest"
cp "$work/package/dist/echarts.min.js" "$work/package/LICENSE" "$work/package/NOTICE" "$dest/"
echo "$version" > "$dest/VERSION"
echo "ECharts $version vendored into $dest"
