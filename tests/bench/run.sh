#!/usr/bin/env bash
# Builds the benchmarks (release), makes the 1M-case province replica once, runs every benchmark
# and collects the RESULT lines in tests/bench/out/results.txt.
#
#   tests/bench/run.sh [WHICH…]        WHICH as for motcua-bench (all by default)
#
# Environment: MOTCUA_BENCH_CASES (1000000) and MOTCUA_BENCH_SEED (1) for the generated replica;
# a replica made with other values gets another file name, so figures never mix.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"

build=$top/_build-bench
out=$top/tests/bench/out
cases=${MOTCUA_BENCH_CASES:-1000000}
seed=${MOTCUA_BENCH_SEED:-1}
db=$out/province-$cases-s$seed.db

# Vietnamese in the output.
export LC_ALL=${LC_ALL:-C.UTF-8}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release
fi
meson compile -C "$build" tests/bench/motcua-bench tests/bench/motcua-bench-gen

mkdir -p "$out"

if [ ! -f "$db" ]; then
  echo "== generating $db (takes a while) =="
  rm -f "$db.partial" "$db.partial-wal" "$db.partial-shm"
  "$build/tests/bench/motcua-bench-gen" --db "$db" --cases "$cases" --seed "$seed" \
    | tee "$db.gen.log"
fi

"$build/tests/bench/motcua-bench" --db "$db" --workdir "$out/work" "$@" | tee "$out/bench.log"

{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$top" describe --always --dirty 2>/dev/null || true)"
  echo "# $(nproc) CPUs, $(df -hT "$out" | awk 'NR == 2 { print $2 " on " $1 }'), $cases cases, seed $seed"
  if [ -f "$db.gen.log" ]; then
    grep '^RESULT ' "$db.gen.log"
  fi
  grep '^RESULT ' "$out/bench.log"
} > "$out/results.txt"

# Which tables and indexes the bytes are in (the sqlite3 CLI reads the file; nothing writes it).
if command -v sqlite3 > /dev/null; then
  echo
  echo "== dbstat: bytes by table and index =="
  sqlite3 -readonly "$db" \
    "SELECT printf('%-32s %12d bytes %8.1f MB %6.1f %%  %7.1f bytes/case', name, sum(pgsize),
            sum(pgsize) / 1e6, 100.0 * sum(pgsize) / (SELECT sum(pgsize) FROM dbstat),
            1.0 * sum(pgsize) / (SELECT count(*) FROM cases))
       FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 15" | tee "$out/dbstat.txt"
fi

echo
echo "results: $out/results.txt"
