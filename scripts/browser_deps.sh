#!/usr/bin/env bash
# Install the Debian packages that `make test` needs when missing (idempotent):
# - chromium and a Japanese gothic font for the browser tests;
# - Pango (+ HarfBuzz subsetting, without which every PDF page is ~8x slower) for
#   WeasyPrint, and IPAmj明朝 (its cmap has U+20BB7 𠮷) for the 修了証 PDFs
#   (docs/configuration.md: HAGUKUMI_CERTIFICATE_FONT).
# apt-get update runs once, and only when something is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
for package in fonts-ipafont-gothic libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
  fonts-ipamj-mincho; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || need+=("$package")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
