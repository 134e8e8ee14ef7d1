#!/usr/bin/env bash
# Install the Debian packages presskit needs, if any are missing.
#   tools/install-system-deps.sh kit    what building a kit needs:
#     Pango (WeasyPrint's text layout), HarfBuzz subsetting (fast font embedding),
#     Cairo (CairoSVG rasterises SVG logos for Word), a fallback font, python3-venv;
#   tools/install-system-deps.sh test   the above, and what only the tests need:
#     poppler-utils (pdftotext/pdftoppm for the tests and tools/look),
#     LibreOffice Writer (the tests convert the DOCX as a recipient would) and the
#     Liberation fonts a LibreOffice user normally has (metric-compatible with Arial),
#     Chromium with its WebDriver (the preview is tested in a real browser),
#     exiftool (reads back the captions written into photos) and a Java runtime
#     (the Nu Html Checker validates the newsroom).
set -eu
kit="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 fonts-dejavu-core python3-venv"
test_only="poppler-utils libreoffice-writer-nogui fonts-liberation2 chromium chromium-driver libimage-exiftool-perl default-jre-headless"
case "${1:-test}" in
  kit) packages="$kit" ;;
  test) packages="$kit $test_only" ;;
  *) echo "usage: $0 kit|test" >&2; exit 2 ;;
esac
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
