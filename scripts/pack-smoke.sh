#!/usr/bin/env bash
# Packaging smoke test: what `npm publish` would ship is exactly what is needed, and it works once
# installed somewhere that is not this checkout.
#
#   scripts/pack-smoke.sh              npm pack (runs `prepare`, i.e. the build), check, install, run
#   scripts/pack-smoke.sh --no-build   pack the dist/ that is already there (npm pack --ignore-scripts);
#                                      test/recipes/pack.test.ts uses this so that no rebuild of dist/
#                                      races the other test files that run bin/retag.js
#
# The install is offline (`npm install --offline`): the runtime dependencies must come from the npm
# cache that `npm ci` filled, so this runs without a network and never fetches a look-alike package.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
build=1
case "${1:-}" in
  "") ;;
  --no-build) build=0 ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac

fail() { echo "pack-smoke: FAIL: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/retag-pack-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# 1. Pack.
cd "$repo"
if [ "$build" = 1 ]; then
  npm pack --silent --pack-destination "$work" >/dev/null
else
  [ -f dist/cli/main.js ] || fail "dist/ is not built (run npm run build, or drop --no-build)"
  npm pack --silent --ignore-scripts --pack-destination "$work" >/dev/null
fi
tarballs=("$work"/*.tgz)
[ "${#tarballs[@]}" = 1 ] && [ -f "${tarballs[0]}" ] || fail "npm pack made no single tarball"
tarball="${tarballs[0]}"

# 2. The tarball holds exactly bin/retag.js, README.md, LICENSE, package.json and the compiled
#    dist/ files of src/ (.js, .d.ts and their maps). Anything else (src/, test/, examples/, a
#    dist/ file whose source is gone, compiled tests) would be shipped to every user.
listing="$(tar -tzf "$tarball" | sort)"
unexpected=""
while IFS= read -r entry; do
  case "$entry" in
    package/bin/retag.js | package/README.md | package/LICENSE | package/package.json) continue ;;
    package/dist/*)
      rel="${entry#package/dist/}"
      stem=""
      case "$rel" in
        *.d.ts.map) stem="${rel%.d.ts.map}" ;;
        *.d.ts) stem="${rel%.d.ts}" ;;
        *.js.map) stem="${rel%.js.map}" ;;
        *.js) stem="${rel%.js}" ;;
      esac
      if [ -n "$stem" ] && [ -f "src/$stem.ts" ]; then continue; fi
      ;;
  esac
  unexpected+="  $entry"$'\n'
done <<<"$listing"
[ -z "$unexpected" ] || fail "the tarball holds files that must not ship (stale dist/? rm -rf dist && npm run build):"$'\n'"$unexpected"
for required in package/bin/retag.js package/dist/index.js package/dist/index.d.ts package/dist/cli/main.js \
  package/README.md package/LICENSE package/package.json; do
  grep -qxF "$required" <<<"$listing" || fail "the tarball lacks $required"
done

# 3. Install the tarball into an empty project, offline: dependencies come from the npm cache.
project="$work/project"
mkdir "$project"
printf '{ "name": "retag-pack-smoke", "version": "0.0.0", "private": true }\n' >"$project/package.json"
cd "$project"
npm install --offline --no-audit --no-fund --silent "$tarball" >/dev/null ||
  fail "npm install --offline of the tarball failed (is the npm cache filled? run npm ci first)"

# 4. Run it. `npx --no` never downloads: it must find the installed bin, not a registry package
#    that happens to be called retag. The `--` keeps npx from taking `--version` for itself.
expected_version="$(node -p 'require(process.argv[1]).version' "$repo/package.json")"
version="$(npx --no -- retag --version)"
[ "$version" = "$expected_version" ] || fail "retag --version says $version, package.json says $expected_version"

correct=("$repo"/examples/wheels/correct-*.whl)
wrong=("$repo"/examples/wheels/arm64only-*.whl)
npx --no -- retag check "${correct[0]}" >/dev/null || fail "retag check on ${correct[0]##*/} exited $? (expected 0)"
set +e
npx --no -- retag check "${wrong[0]}" >/dev/null
code=$?
set -e
[ "$code" = 1 ] || fail "retag check on ${wrong[0]##*/} exited $code (expected 1)"

# 5. The Node API resolves through package.json "exports" for a consumer.
node --input-type=module -e '
  const api = await import("wheel-retag");
  for (const name of ["checkWheel", "retagWheel"]) {
    if (typeof api[name] !== "function") { console.error(`wheel-retag does not export ${name}`); process.exit(1); }
  }' || fail "import \"wheel-retag\" from the installed package failed"

echo "pack-smoke: OK ($(basename "$tarball"), $(wc -l <<<"$listing") files, retag $version)"
