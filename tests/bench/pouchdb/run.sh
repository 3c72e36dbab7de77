#!/usr/bin/env bash
# The CouchDB-protocol baseline of the sync benchmark: PouchDB replicating with express-pouchdb
# through motcua-slowlink (see bench.js for the workload and what is measured).
#
#   tests/bench/pouchdb/run.sh [--build DIR] [bench.js options…]
#
#   tests/bench/pouchdb/run.sh                      20,000 cases over loopback (only counted)
#   tests/bench/pouchdb/run.sh --slow               2,000 cases over 256 kbit/s, 300 ms, 1 % loss
#   tests/bench/pouchdb/run.sh --slow --cases 5000  …
#
# Installs the pinned npm packages (package-lock.json) into tests/bench/pouchdb/node_modules if
# they are missing, builds motcua-slowlink in the build directory (_build-bench by default, a
# release build), runs bench.js and writes its JSON line to
# tests/bench/out/pouchdb[-slow]-CASES.json and its output to the same name with .log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=$top/_build-bench
out=$top/tests/bench/out

if [ "${1:-}" = "--build" ]; then
  [ $# -ge 2 ] || { echo "run.sh: --build needs a directory" >&2; exit 2; }
  build=$(realpath -m "$2")
  shift 2
fi

export LC_ALL=${LC_ALL:-C.UTF-8}

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "run.sh: needs node (≥ 18) and npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi

# The packages, exactly as locked; again when the lock file changed.
if [ ! -f "$here/node_modules/.package-lock.json" ] \
   || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "== npm ci (tests/bench/pouchdb) =="
  (cd "$here" && npm ci --no-audit --no-fund)
fi

# The proxy.
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release
fi
meson compile -C "$build" tests/bench/motcua-slowlink
slowlink=$build/tests/bench/motcua-slowlink

# The name of the results: pouchdb-20000.json, pouchdb-slow-2000.json.
slow=
cases=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --slow) slow=-slow ;;
    --cases) cases=${args[i + 1]:-} ;;
  esac
done
if [ -z "$cases" ]; then
  cases=$([ -n "$slow" ] && echo 2000 || echo 20000)
fi
name=pouchdb$slow-$cases

mkdir -p "$out"
node "$here/bench.js" --slowlink "$slowlink" --out "$out/$name.json" "$@" | tee "$out/$name.log"

echo
echo "results: $out/$name.json"
