#!/usr/bin/env bash
# The README's install line, run as written: `go install MODULE/cmd/geofence@vX`
# fetched from a module proxy that serves this commit as release vX (a
# file:// proxy laid out as proxy.golang.org's, the module zip made by git
# archive), so that what a user installs — module path, release and the
# version the binary reports — is checked before the tag is pushed.
set -euo pipefail
cd "$(dirname "$0")/.."
line=$(grep -m1 -oE 'go install [^ ]+/cmd/geofence@v[0-9.]+' README.md)
target=${line#go install }
module=${target%/cmd/geofence@*}
version=${target##*@}
[ "$module" = "$(go list -m)" ] || { echo "README installs $module, the module is $(go list -m)" >&2; exit 1; }
[ "$version" = "v$(sed -n 's/^const release = "\(.*\)"$/\1/p' cmd/geofence/version.go)" ] || {
  echo "README installs $version, this tree's release is $(grep '^const release' cmd/geofence/version.go)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
at="$work/proxy/$module/@v"
mkdir -p "$at"
git archive --format=zip --prefix="$module@$version/" HEAD -o "$at/$version.zip"
git show HEAD:go.mod > "$at/$version.mod"
echo "$version" > "$at/list"
printf '{"Version":"%s","Time":"%s"}\n' "$version" "$(git log -1 --format=%cI)" > "$at/$version.info"

# The module is not in the checksum database until it is published.
(cd "$work" && env GOBIN="$work/bin" GOPROXY="file://$work/proxy,https://proxy.golang.org" GOSUMDB=off GOFLAGS= $line)
got=$("$work/bin/geofence" version)
echo "$got"
grep -q "^module: *$module $version\$" <<<"$got" || { echo "the installed geofence does not report $module $version" >&2; exit 1; }
echo "install: $line installs geofence $version"
