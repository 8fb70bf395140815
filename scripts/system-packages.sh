#!/usr/bin/env bash
# Install the Debian packages Planportal needs, only those that are missing.
#   scripts/system-packages.sh run    WeasyPrint's libraries (for the PDF report)
#   scripts/system-packages.sh test   the above, plus Chromium (browser tests), poppler (PDF text) and
#                                     Node.js with npm (the OpenID Connect provider of the SSO tests)
set -euo pipefail

# fonts-dejavu-extra: DejaVu Sans Condensed, which the PDF's activity tables use so long words fit unhyphenated.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra)
if [ "${1:-run}" = "test" ]; then
  packages+=(chromium poppler-utils nodejs)
  # Some builds of nodejs bring npm along; Debian's own packages it separately.
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
