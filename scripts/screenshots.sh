#!/usr/bin/env bash
# Regenerates the README screenshots from the real window under a virtual display.
#   scripts/screenshots.sh            (writes docs/screenshots/*.png)
# Needs xvfb, xdotool and imagemagick (installed by the screenshot tool when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${SCREENSHOT_TOOL:-../shared/tools/screenshot.sh}
# BIN=target/debug/policy-workbench uses an existing build instead of a release build.
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
fi
bin=${BIN:-target/release/policy-workbench}
out=docs/screenshots
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
shot() { # name size view [extra args…]; one retry (the virtual display sometimes fails to start)
  local name=$1 size=$2 view=$3; shift 3
  for try in 1 2; do
    # The pointer is parked on the empty right end of the menu bar (a click there does
    # nothing), so no tooltip covers the view.
    local park="$(( ${size%x*} - 20 )),10"
    if "$tool" --out "$out/$name.png" --size "$size" --wait "${WAIT:-3}" --click "$park" -- \
      "$bin" --window-size "$size" --data-dir "$data" --view "$view" "$@"; then
      return 0
    fi
    [ "$try" = 1 ] && echo "retrying $name" >&2 && sleep 2
  done
  return 1
}
shot matrix 1280x800 matrix
shot matrix-small 1024x640 matrix
shot matrix-dark 1280x800 matrix --dark
# The results view runs rank acceptability in the background: let it finish.
WAIT=12 shot results 1280x800 results
shot charts 1280x800 charts
shot scenarios 1280x800 scenarios
shot workshop 1280x800 workshop sample_projects/workshop-demo.json
shot learn 1280x800 learn
shot framework 1280x800 framework
shot mechanism 1280x800 mechanism
shot sources 1280x800 sources
shot project 1280x800 project
shot check 1280x800 check
shot check-small 1024x640 check
# Two exported charts, as the command line writes them.
charts=$(mktemp -d)
"$bin" export sample_projects/china-police-cooperation.json --out "$charts" --format png --force >/dev/null
cp "$charts/claimed-vs-documented.png" "$charts/returns-vs-concern.png" "$out/"
rm -rf "$charts"
echo "screenshots written to $out/"
