#!/usr/bin/env bash
# Packaging smoke test: what `npm publish` would ship is exactly what is needed, and it works once
# installed somewhere that is not this checkout.
#
#   scripts/pack-smoke.sh              npm pack (prepack builds and strips `prepare` from the packed
#                                      package.json, postpack puts it back), check, install, run
#   scripts/pack-smoke.sh --no-build   pack the dist/ and dist-bundle/ that are already there, from a
#                                      copy of what npm packs (strip, then npm pack --ignore-scripts);
#                                      test/recipes/pack.test.ts uses this so that no rebuild races
#                                      the other test files that run bin/retag.js
#
# The package has no runtime dependencies (the CLI is one esbuild bundle), so the install is offline
# (`npm install --offline`) and needs nothing from the npm cache; it must print no warning (an
# install script in the tarball, such as `prepare`, makes npm warn) and install nothing but retag.
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
  [ -f dist/index.js ] && [ -f dist-bundle/cli.js ] || fail "dist/ or dist-bundle/ is not built (run npm run build, or drop --no-build)"
  stage="$work/stage"
  mkdir "$stage"
  # Exactly the files npm would pack from here (package.json "files" decides), copied as they are.
  npm pack --dry-run --json --ignore-scripts 2>/dev/null |
    node -e 'for (const f of JSON.parse(require("fs").readFileSync(0, "utf8"))[0].files) console.log(f.path)' |
    while IFS= read -r file; do
      mkdir -p "$stage/$(dirname "$file")"
      cp -p "$file" "$stage/$file"
    done
  node scripts/npm-manifest.mjs strip "$stage"
  (cd "$stage" && npm pack --silent --ignore-scripts --pack-destination "$work" >/dev/null)
fi
tarballs=("$work"/*.tgz)
[ "${#tarballs[@]}" = 1 ] && [ -f "${tarballs[0]}" ] || fail "npm pack made no single tarball"
tarball="${tarballs[0]}"

# 2. The tarball holds exactly bin/retag.js and bin/package.json (which makes it CommonJS), README.md,
#    LICENSE, package.json, the bundle (dist-bundle/: the launcher retag.cjs, the CLI and its chunks,
#    the CLI as one script with its libraries, its worker and the package.json that makes them ES
#    modules) and the compiled dist/ files of src/ that the Node API needs (.js, .d.ts and their
#    maps; not the CLI's: the bundle holds it). Anything else (src/, test/, examples/, a dist/ file
#    whose source is gone, compiled tests) would be shipped to every user.
listing="$(tar -tzf "$tarball" | sort)"
unexpected=""
while IFS= read -r entry; do
  case "$entry" in
    package/bin/retag.js | package/bin/package.json | package/README.md | package/LICENSE | package/package.json) continue ;;
    # The launcher, the CLI, its worker, the chunks the CLI loads (build-bundle.mjs empties the folder
    # first, so no stale chunk is left) and the package.json.
    package/dist-bundle/*.js | package/dist-bundle/*.cjs | package/dist-bundle/package.json) continue ;;
    package/dist/cli/* | package/dist/entry/* | package/dist/internal.*) ;;
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
for required in package/bin/retag.js package/bin/package.json package/dist/index.js package/dist/index.d.ts package/dist-bundle/retag.cjs \
  package/dist-bundle/cli.js package/dist-bundle/cli.cjs package/dist-bundle/worker.js package/dist-bundle/package.json \
  package/README.md package/LICENSE package/package.json; do
  grep -qxF "$required" <<<"$listing" || fail "the tarball lacks $required"
done

# The packed package.json: no install-time script (npm would warn on every install from the
# tarball) and no runtime dependency (the bundle holds yargs, fast-glob and smol-toml).
tar -xzOf "$tarball" package/package.json | node -e '
  const pkg = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const scripts = ["preinstall", "install", "postinstall", "prepare"].filter((s) => pkg.scripts?.[s] !== undefined);
  if (scripts.length > 0) { console.error(`install-time scripts: ${scripts.join(", ")}`); process.exit(1); }
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
  if (deps.length > 0) { console.error(`runtime dependencies: ${deps.join(", ")}`); process.exit(1); }
' || fail "the packed package.json must have no install-time script and no dependency"

# 3. Install the tarball into an empty project, offline (there is nothing to fetch): no warning, and
#    nothing installed but retag itself.
project="$work/project"
mkdir "$project"
printf '{ "name": "retag-pack-smoke", "version": "0.0.0", "private": true }\n' >"$project/package.json"
cd "$project"
install_log="$work/install.log"
npm install --offline --no-audit --no-fund --loglevel=warn "$tarball" >"$install_log" 2>&1 ||
  fail "npm install --offline of the tarball failed:"$'\n'"$(cat "$install_log")"
! grep -qi "warn" "$install_log" || fail "npm install of the tarball warned:"$'\n'"$(cat "$install_log")"
installed="$(cd node_modules && ls -A | grep -v '^\.' | sort | tr '\n' ' ')"
[ "$installed" = "wheel-retag " ] || fail "npm install put more than wheel-retag into node_modules: $installed"

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
# Two wheels with --jobs 2 run in worker threads, which load dist-bundle/worker.js.
set +e
batch="$(npx --no -- retag check --jobs 2 "${correct[0]}" "${wrong[0]}" 2>&1)"
code=$?
set -e
[ "$code" = 1 ] && grep -q "R201" <<<"$batch" || fail "retag check --jobs 2 exited $code (expected 1 with R201):"$'\n'"$batch"

# 5. The Node API resolves through package.json "exports" for a consumer.
node --input-type=module -e '
  const api = await import("wheel-retag");
  for (const name of ["checkWheel", "retagWheel"]) {
    if (typeof api[name] !== "function") { console.error(`wheel-retag does not export ${name}`); process.exit(1); }
  }' || fail "import \"wheel-retag\" from the installed package failed"

echo "pack-smoke: OK ($(basename "$tarball"), $(wc -l <<<"$listing") files, retag $version)"
