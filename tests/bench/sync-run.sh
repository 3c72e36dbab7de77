#!/usr/bin/env bash
# The Một Cửa side of the sync benchmarks, by hand (never in meson test): builds a release tree,
# writes the PouchDB workload once (tests/bench/pouchdb/cases.js, the cases and edits bench.js
# uses), runs motcua-sync-bench RUNS times (3 by default) with the load average before each run,
# and prints the median of every figure and a summary table against PouchDB's figures.
#
#   tests/bench/sync-run.sh [--runs N] [--build DIR] [motcua-sync-bench options / WHICH…]
#
#   tests/bench/sync-run.sh                          everything, 3 runs
#   tests/bench/sync-run.sh --runs 1 compare         the PouchDB workload once
#   tests/bench/sync-run.sh many --replicas 50       …
#
# Output in tests/bench/out/: sync-run-N.log (each run), sync-results.txt (the medians, as
# "RESULT name value unit" lines, and the table). PouchDB's figures are read from
# out/pouchdb-20000.json and out/pouchdb-slow-20000.json (tests/bench/pouchdb/run.sh writes
# them), for the ratios. Needs node (the workload generator) and python3 (the summary).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/_build-syncbench
out=$here/out
runs=3

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --build) build=$(realpath -m "$2"); shift 2 ;;
    *) break ;;
  esac
done

export LC_ALL=${LC_ALL:-C.UTF-8}

for tool in node python3; do
  command -v "$tool" > /dev/null || { echo "sync-run.sh: needs $tool" >&2; exit 1; }
done

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release
fi
meson compile -C "$build" tests/bench/motcua-sync-bench tests/bench/motcua-slowlink \
  tests/bench/motcua-bench-gen tests/bench/motcua-bench app/server/motcua-server

mkdir -p "$out"
dump=$out/sync-dump-20000
if [ ! -f "$dump/edits.json" ]; then
  echo "== writing the PouchDB workload to $dump =="
  (cd "$here/pouchdb" && node -e "
    const c = require('./cases');
    const cases = c.generateCases(20000, 1);
    const edits = c.generateEdits(cases, { edits: 2000, overlap: 1000, seed: 1 });
    c.writeDump(process.argv[1], cases, edits,
                { seed: 1, cases: 20000, edits: 2000, overlap: 1000 });
  " "$dump")
fi

for ((i = 1; i <= runs; i++)); do
  echo "== run $i of $runs: $(uptime) =="
  {
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$top" describe --always --dirty 2>/dev/null)"
    echo "# $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "# uptime before: $(uptime)"
    "$build/tests/bench/motcua-sync-bench" --dump "$dump" --workdir "$out/sync-work" \
      --pouchdb "$out/pouchdb-20000.json" --pouchdb-slow "$out/pouchdb-slow-20000.json" "$@"
    # Single durable receptions beside the disk's raw fsync rate, on the same disk.
    "$build/tests/bench/motcua-bench" --workdir "$out/sync-work" fsync receive-single
    echo "# uptime after: $(uptime)"
  } 2>&1 | tee "$out/sync-run-$i.log"
done

python3 - "$out" "$runs" <<'EOF' | tee "$out/sync-results.txt"
import json, os, statistics, sys

out, runs = sys.argv[1], int(sys.argv[2])
values, units, loads = {}, {}, []
for i in range(1, runs + 1):
    for line in open(os.path.join(out, f'sync-run-{i}.log'), encoding='utf-8'):
        if line.startswith('RESULT '):
            _, name, value, *unit = line.split()
            values.setdefault(name, []).append(float(value))
            units[name] = ' '.join(unit)
        elif line.startswith('# load ') or line.startswith('# uptime before'):
            loads.append(f'run {i}: {line[2:].strip()}')

def fmt(x):
    return f'{x:.0f}' if abs(x) >= 100 else f'{x:.2f}' if abs(x) >= 1 else f'{x:.3f}'

median = {name: statistics.median(v) for name, v in values.items()}
print(f'# medians of {runs} run(s)')
for line in loads:
    print('#', line)
for name in values:
    spread = ', '.join(fmt(v) for v in values[name])
    print(f'RESULT {name} {fmt(median[name])} {units[name]}  # runs: {spread}')

def pouch(name, path):
    try:
        x = json.load(open(os.path.join(out, name)))
        for key in path.split('.'):
            x = x[key]
        return float(x)
    except (OSError, KeyError, TypeError, ValueError):
        return None

m = lambda name: median.get(name)
rows = []
def row(what, ours, unit, theirs, target, better_low=False, check=None):
    ratio = ''
    if ours is not None and theirs:
        ratio = f'{ours / theirs:.2f}×'
    met = ''
    if ours is not None and check is not None:
        met = 'met' if check(ours) else 'MISSED'
    rows.append((what, '' if ours is None else fmt(ours), unit,
                 '' if theirs is None else fmt(theirs), ratio, target, met))

pp = lambda path: pouch('pouchdb-20000.json', path)
ps = lambda path: pouch('pouchdb-slow-20000.json', path)
# The targets of the issue "Sync ten times faster than PouchDB", in its order.
pt = pp('phases.push.cases_per_s')
row('push 20,000 cases: throughput', m('compare-push-cases-per-s'), 'cases/s', pt,
    '≥ 10× PouchDB', check=lambda x: pt is not None and x >= 10 * pt)
row('push 20,000 cases: time', m('compare-push-seconds'), 's', pp('phases.push.seconds'), '')
cpu = lambda name: (m(name + '-server-cpu-seconds') or 0) + (m(name + '-replica-cpu-seconds') or 0)
row('push: CPU (server + replica)', cpu('compare-push') or None, 's', None, '')
st = pp('phases.sync.seconds')
row('sync 2,000 + 2,000 edits: time', m('compare-sync-seconds'), 's', st, '≤ ⅒ PouchDB',
    check=lambda x: st is not None and x <= st / 10)
row('sync: conflicts', m('compare-conflicts'), '', pp('conflicts.client.docs'), '= 1,000',
    check=lambda x: x == 1000)
row('push: bytes per new case (TCP)', m('compare-push-tcp-bytes-per-case'), 'B',
    pp('phases.push.bytes_per_case'), '≤ 134 B', check=lambda x: x <= 134)
row('sync: bytes per edited field (TCP)', m('compare-sync-tcp-bytes-per-edited-field'), 'B',
    pp('phases.sync.bytes_per_edited_field'), '≤ 60 B', check=lambda x: x <= 60)
for scope, name in (('commune', 'compare-idle'), ('district', 'district-idle'),
                    ('commune, a new MotcuaSync each', 'compare-idle-fresh')):
    ms_ = lambda side: m(f'{name}-{side}-cpu-ms')
    row(f'idle sync, {scope}: server CPU', ms_('server'), 'ms', None, '≤ 5 ms',
        check=lambda x: x <= 5)
    row(f'idle sync, {scope}: replica CPU', ms_('replica'), 'ms', None, '≤ 5 ms',
        check=lambda x: x <= 5)
    row(f'idle sync, {scope}: bytes (TCP)', m(f'{name}-tcp-bytes'), 'B',
        (pp('phases.idle.client_to_server_bytes') or 0)
        + (pp('phases.idle.server_to_client_bytes') or 0) or None if name == 'compare-idle'
        else None, '≤ 1,024 B', check=lambda x: x <= 1024)
row('first sync, loopback', m('first-sync-seconds'), 's', pp('phases.clone.seconds'), '< 2 s',
    check=lambda x: x < 2)
row('first sync, loopback: CPU (server + replica)', cpu('first-sync') or None, 's', None, '')
row('first sync, slow link', m('first-sync-slow-seconds'), 's', ps('phases.clone.seconds'),
    '< 180 s', check=lambda x: x < 180)
row('pull (log, district)', m('pull-log-changes-per-s'), 'changes/s', None, '≥ 200,000',
    check=lambda x: x >= 200000)
row('pull: changes per CPU-second', m('pull-log-changes-per-cpu-s'), 'changes/s', None, '')
row('200 replicas at once: changes/s', m('many-changes-per-s'), 'changes/s', None, '')
row('200 replicas at once: sync p95', m('many-sync-p95'), 'ms', None, '< 250 ms',
    check=lambda x: x < 250)
row('200 replicas at once: server peak RSS', m('many-server-peak-rss'), 'MiB', None,
    '< 300 MiB', check=lambda x: x < 300)
row('single durable receptions', m('receive-single'), 'cases/s', None, '')
row('  of the disk\'s raw fsync rate', m('receive-single-vs-fsync'), '%', None, '≥ 60 %',
    check=lambda x: x >= 60)
row('desk day, slow link: time', m('desk-day-seconds'), 's', None, '< 15 s',
    check=lambda x: x < 15)
row('desk day, slow link: bytes (TCP)', m('desk-day-tcp-kib'), 'KiB', None, '< 100 KiB',
    check=lambda x: x < 100)

head = ('figure', 'Một Cửa', 'unit', 'PouchDB', 'ratio', 'target', '')
widths = [max(len(str(r[c])) for r in rows + [head]) for c in range(len(head))]
print()
for r in [head] + rows:
    print('  '.join(str(cell).ljust(widths[c]) if c in (0, 2, 5, 6) else
                    str(cell).rjust(widths[c]) for c, cell in enumerate(r)).rstrip())
EOF
