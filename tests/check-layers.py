#!/usr/bin/env python3
# check-layers.py LIBMOTCUA.a: libmotcua's layers, checked from what its objects call (TAP)
#
# sync/README.md stacks libmotcua's folders: base, store, replication, domain, hub, client. A file
# calls only its own layer and those below it, and only the store speaks to SQLite. Both rules
# are read from the symbols each object of the built library leaves undefined (nm), so a call
# through a macro or a header is seen as well as a written one:
#   1. a function defined in a higher layer's object is called by no lower one;
#   2. no object above the store calls SQLite or PostgreSQL (libpq), or the store's statement
#      helpers.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import subprocess
import sys
from collections import defaultdict

LAYERS = ['base', 'store', 'replication', 'domain', 'hub', 'client']

# The store's own ways into SQLite: a layer above asks the store's typed functions instead.
STORE_ONLY = re.compile(r'^(sqlite3_\w+|PQ\w+|_motcua_pg_run|_motcua_pg_exec|_motcua_pg_query\w*'
                        r'|_motcua_replica_prepare\w*|_motcua_replica_exec'
                        r'|_motcua_replica_step_done|_motcua_replica_set_db_error'
                        r'|_motcua_value_from_column|_motcua_bind_value)$')

# "…/libmotcua.a.p/store_motcua-replica.c.o:0000000000000000 T _motcua_replica_tick"
LINE = re.compile(r'.*/(\w+?)_(motcua-[\w-]+)\.c\.o:\s*(?:[0-9a-f]+)?\s+(\w)\s+(\S+)$')


def main():
    nm = subprocess.run(['nm', '-A', sys.argv[1]], capture_output=True, text=True, check=True)
    defined = {}
    called = defaultdict(set)
    objects = set()

    for line in nm.stdout.splitlines():
        m = LINE.match(line)
        if not m or m.group(1) not in LAYERS:
            continue
        layer, name, kind, symbol = m.groups()
        objects.add((layer, name))
        if kind == 'U':
            called[(layer, name)].add(symbol)
        elif kind.isupper():
            defined[symbol] = (layer, name)

    if not objects:
        print('Bail out! no object of libmotcua found in', sys.argv[1])
        return 1

    failed = 0
    n = 0
    for layer, name in sorted(objects, key=lambda o: (LAYERS.index(o[0]), o[1])):
        rank = LAYERS.index(layer)
        wrong = []
        for symbol in sorted(called[(layer, name)]):
            home = defined.get(symbol)
            if home is not None and LAYERS.index(home[0]) > rank:
                wrong.append(f'calls {symbol} of {home[0]}/{home[1]}.c, a higher layer')
            elif layer != 'store' and STORE_ONLY.match(symbol):
                wrong.append(f'calls {symbol}: only the store speaks to the databases')
        n += 1
        if wrong:
            failed += 1
            print(f'not ok {n} - {layer}/{name}.c')
            for w in wrong:
                print(f'# {layer}/{name}.c {w}')
        else:
            print(f'ok {n} - {layer}/{name}.c')

    print(f'1..{n}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
