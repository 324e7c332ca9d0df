#!/bin/sh
# Copy the front-end packages installed by `npm ci` into static/vendor/<package>/, which is
# served by our own host (no CDN). Run from the repository root after `npm ci --ignore-scripts`.
set -eu
copy() {  # copy <package> <folder inside the package>
    src="node_modules/$1/$2"
    dest="static/vendor/$1"
    [ -d "$src" ] || { echo "missing $src: run npm ci first" >&2; exit 1; }
    rm -rf "$dest.tmp" && mkdir -p static/vendor && cp -R "$src" "$dest.tmp"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
}
copy leaflet dist
copy leaflet.markercluster dist
