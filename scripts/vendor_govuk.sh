#!/usr/bin/env bash
# Vendors the design system: GOV.UK Frontend (MIT) from the npm registry, compiled with the npm
# `sass` package (both pinned in the Makefile) into the kmgov theme
# (src/kmgov/web/styles/kmgov.scss: brand colour, CJK font stack, no web fonts). Writes into DEST
# (git-ignored): kmgov.css, govuk-frontend.min.js (initialised by web/site.js), the package's
# licence section and package.json, and VERSION. Run by `make setup`; docs/architecture.md
# ("Design system") says why it is built here and not committed.
set -euo pipefail
govuk="${1:?usage: vendor_govuk.sh GOVUK_VERSION SASS_VERSION THEME.scss DEST}"
sass="${2:?usage: vendor_govuk.sh GOVUK_VERSION SASS_VERSION THEME.scss DEST}"
theme="${3:?usage: vendor_govuk.sh GOVUK_VERSION SASS_VERSION THEME.scss DEST}"
dest="${4:?usage: vendor_govuk.sh GOVUK_VERSION SASS_VERSION THEME.scss DEST}"
command -v npm >/dev/null || { echo "npm is needed to vendor GOV.UK Frontend (Debian: apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && echo '{"private":true}' > package.json \
  && npm install --silent --no-audit --no-fund --ignore-scripts \
       "govuk-frontend@${govuk}" "sass@${sass}" >/dev/null)
pkg="$work/node_modules/govuk-frontend"
got="$(node -p "require('$pkg/package.json').version")"
[ "$got" = "$govuk" ] || { echo "npm gave govuk-frontend $got, not the pinned $govuk" >&2; exit 1; }
node "$work/node_modules/sass/sass.js" --no-source-map --style=compressed --quiet-deps \
  --load-path="$work/node_modules" "$theme" "$work/kmgov.css"
mkdir -p "$dest"
cp "$work/kmgov.css" "$pkg/dist/govuk/govuk-frontend.min.js" "$pkg/package.json" "$dest/"
sed -n '/^## Licence/,/^## Contribution/p' "$pkg/README.md" | sed '$d' > "$dest/LICENCE.md"
echo "govuk-frontend $govuk, sass $sass" > "$dest/VERSION"
echo "GOV.UK Frontend $govuk compiled into $dest/kmgov.css"
