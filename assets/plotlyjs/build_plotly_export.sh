#!/usr/bin/env bash
# Rebuilds plotly-export.min.js: plotly.js with only the trace types our exported figures draw, for the
# image exporter's headless Chromium (it loads in a third of the time of the full 4.8 MB bundle).
# The version is the one of the plotly.min.js inside the installed plotly package, so that both draw
# alike; the renderer uses the full bundle when the versions differ or a figure needs another trace type.
# Build time only (the app and the exporter never reach the network):
#   bash assets/plotlyjs/build_plotly_export.sh [PYTHON]        (needs npm; a few seconds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${1:-$here/../../.venv/bin/python}"
# Trace types the dashboard's exports use (views/figures.py, views/map_layers.py, export/report.py);
# scatter is in plotly.js's core. Adding one here is the whole change (the renderer reads this list
# back from the bundle's first line).
traces="scatter,bar,scattergeo,choropleth"
esbuild_version="0.28.2"
full="$("$python" -c 'import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js")')"
version="$(head -c 200 "$full" | sed -n 's/^\* plotly\.js v\([0-9][0-9.]*\).*/\1/p' | head -1)"
[ -n "$version" ] || { echo "no plotly.js version in the header of $full" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund --ignore-scripts "plotly.js@$version" "esbuild@$esbuild_version" >/dev/null
# the same plotly.js as the Python package's bundle, byte for byte, or the partial one would differ
cmp -s "$full" node_modules/plotly.js/dist/plotly.min.js || {
  echo "npm's plotly.js@$version dist/plotly.min.js differs from $full" >&2; exit 1; }
{
  echo "'use strict';"
  echo "var Plotly = require('plotly.js/lib/core');"
  echo "Plotly.register(["
  for trace in ${traces//,/ }; do
    [ "$trace" = scatter ] || echo "    require('plotly.js/lib/$trace'),"
  done
  echo "]);"
  echo "module.exports = Plotly;"
} > entry.js
# The options of plotly.js's own esbuild-config.js; CSS is only maplibre's (map traces, not included).
node node_modules/esbuild/bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --target=es2016 --define:global=window --define:define.amd=false --define:process.env.NODE_DEBUG=false \
  --alias:regl=@plotly/regl --alias:stream=stream-browserify --loader:.css=empty --log-level=warning \
  --banner:js="/* plotly.js v$version partial bundle, traces: $traces (built by assets/plotlyjs/build_plotly_export.sh with esbuild $esbuild_version; MIT licence: LICENSE-plotly.js) */" \
  --outfile="$work/plotly-export.min.js"
cp node_modules/plotly.js/LICENSE "$here/LICENSE-plotly.js"
mv "$work/plotly-export.min.js" "$here/plotly-export.min.js"
ls -l "$here/plotly-export.min.js"
