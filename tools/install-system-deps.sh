#!/usr/bin/env bash
# Install the Debian packages presskit needs, if any are missing.
#   Pango (WeasyPrint's text layout), HarfBuzz subsetting (fast font embedding),
#   Cairo (CairoSVG rasterises SVG logos for Word),
#   poppler-utils (pdftotext/pdftoppm for the tests and tools/look),
#   LibreOffice Writer (the tests convert the DOCX as a recipient would) and the
#   Liberation fonts a LibreOffice user normally has (metric-compatible with Arial),
#   and Chromium with its WebDriver (the preview is tested in a real browser).
set -eu
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 fonts-dejavu-core poppler-utils libreoffice-writer-nogui fonts-liberation2 python3-venv chromium chromium-driver"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing system packages:$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing
