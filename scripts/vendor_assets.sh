#!/usr/bin/env bash
# Re-fetch the vendored front-end files from npm (build time only; no Node at run time).
#
#   bash scripts/vendor_assets.sh            # the pinned versions below
#
# Only the listed files and each package's licence are copied; the result is
# committed, so a fresh clone, `make run` and `make test` never need npm.
# Record a version change in hagukumi/static/vendor/README.md.
set -euo pipefail

DESIGN_TOKENS_VERSION="1.1.9"   # @digital-go-jp/design-tokens (MIT)
HTMX_VERSION="2.0.11"           # htmx.org, newest 2.0.x (0BSD)
AXE_VERSION="4.14.1"            # axe-core (MPL-2.0), loaded by the browser tests only
NOTO_SANS_JP_VERSION="5.3.1"    # @fontsource-variable/noto-sans-jp (OFL-1.1), the web font

root="$(cd "$(dirname "$0")/.." && pwd)"
static="$root/hagukumi/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# unpack NAME@VERSION: npm pack into $work/<dir>/package
unpack() {
  local spec="$1" dir="$2"
  mkdir -p "$work/$dir"
  (cd "$work/$dir" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
  echo "$work/$dir/package"
}

pkg="$(unpack "@digital-go-jp/design-tokens@$DESIGN_TOKENS_VERSION" tokens)"
mkdir -p "$static/design-tokens"
cp "$pkg/dist/tokens.css" "$static/design-tokens/tokens.css"
cp "$pkg/LICENSE" "$static/design-tokens/LICENSE"

pkg="$(unpack "htmx.org@$HTMX_VERSION" htmx)"
mkdir -p "$static/htmx"
cp "$pkg/dist/htmx.min.js" "$static/htmx/htmx.min.js"
cp "$pkg/LICENSE" "$static/htmx/LICENSE"

pkg="$(unpack "axe-core@$AXE_VERSION" axe)"
mkdir -p "$root/tests/e2e/vendor/axe-core"
cp "$pkg/axe.min.js" "$root/tests/e2e/vendor/axe-core/axe.min.js"
cp "$pkg/LICENSE" "$root/tests/e2e/vendor/axe-core/LICENSE"

pkg="$(unpack "@fontsource-variable/noto-sans-jp@$NOTO_SANS_JP_VERSION" noto)"
rm -rf "$static/noto-sans-jp"
mkdir -p "$static/noto-sans-jp/files"
cp "$pkg/index.css" "$static/noto-sans-jp/noto-sans-jp.css"
cp "$pkg"/files/*.woff2 "$static/noto-sans-jp/files/"
cp "$pkg/LICENSE" "$static/noto-sans-jp/LICENSE"

echo "vendored: design-tokens $DESIGN_TOKENS_VERSION, htmx $HTMX_VERSION, axe-core $AXE_VERSION, noto-sans-jp $NOTO_SANS_JP_VERSION"
# For the table in hagukumi/static/vendor/README.md:
(cd "$root" && sha256sum hagukumi/static/vendor/design-tokens/tokens.css \
  hagukumi/static/vendor/htmx/htmx.min.js tests/e2e/vendor/axe-core/axe.min.js \
  hagukumi/static/vendor/noto-sans-jp/noto-sans-jp.css)
