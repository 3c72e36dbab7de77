#!/usr/bin/env bash
# The demo as an officer meets Một Cửa: a provincial server for Lai Châu on this machine, with its
# offices (the district tree that ended on 30 June 2025 and the reform that replaced it),
# catalogue and calendars, and the last weeks' dossiers of Nậm Hàng commune; the reception desk
# of the commune's public administration service centre enrolled to it with motcua-cli; and the
# desk (motcua) opened on that replica.
# Closing the desk's window ends the demo: the server stops and everything made here is removed.
#
#   tools/demo-desk.sh BUILD_DIR        (tools/run demo runs it with _build)
#
# Environment: MOTCUA_DEMO_KEEP=1 keeps the files (their folder is printed); MOTCUA_DEMO_DESK
# replaces the desk's command line (the tests use it to stop after the first window).
set -euo pipefail

build=$(cd "${1:?usage: tools/demo-desk.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$top/data
server=$build/app/server/motcua-server
cli=$build/app/cli/motcua-cli
desk=$build/app/desktop/motcua

work=$(mktemp -d -t motcua-demo-XXXXXX)
store=$work/lai-chau-server.db
replica=$work/nam-hang.db
server_pid=

cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    echo "== Stopping the server"
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${MOTCUA_DEMO_KEEP:-}" = 1 ]; then
    echo "The demo's files are in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "tools/demo-desk.sh: $*" >&2; exit 1; }
# Runs a command quietly; shows what it said only if it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    fail "failed: ${*}"
  fi
}
ms() { "$server" --store "$store" "$@"; }
# The commune's field laptop (the digital-technology team's) and its reception desk.
field() { MOTCUA_OFFICER="Lường Văn Hặc" "$cli" --db "$work/field.db" "$@"; }
reception() { MOTCUA_OFFICER="Lò Thị Hoa" "$cli" --db "$replica" "$@"; }

# A day N working days ago, at HH:MM, in Vietnam's time (UTC+7), as ISO 8601.
days_ago() {
  local n=$1 at=$2 d=0 day
  while :; do
    day=$(TZ=Asia/Ho_Chi_Minh date -d "$d days ago" +%u)
    if [ "$day" -le 5 ]; then
      [ "$n" -eq 0 ] && break
      n=$((n - 1))
    fi
    d=$((d + 1))
  done
  TZ=Asia/Ho_Chi_Minh date -d "$d days ago" +"%Y-%m-%dT$at:00+07:00"
}

step "A provincial server for Lai Châu: its offices, procedure catalogue and calendars"
quiet ms init --province LC --name "UBND tỉnh Lai Châu"
quiet ms offices import "$data/offices.json"
quiet ms reorganisation apply "$data/reorganisation-2025-07-01.json"
quiet ms publish catalogue "$data/catalogue.json"
for f in "$data"/calendar-*.json; do
  quiet ms publish calendar "$f"
done
# The token alone is on standard output (the notice that it is shown once is on standard error).
field_token=$(ms replicas enroll LC.NAMHANG 2>/dev/null)
desk_token=$(ms replicas enroll LC.NAMHANG 2>/dev/null)
echo "The province's offices after the reform of 1 July 2025, the sample catalogue and the" \
  "published calendars; two desks of Nậm Hàng commune enrolled"

step "Serving it on 127.0.0.1"
# Started directly (not through a function, which would run in a subshell), so that $! is the
# server itself and stopping it stops it.
"$server" --store "$store" serve --listen 127.0.0.1 --port 0 >"$work/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 200); do
  url=$(sed -n 's/^listening on //p' "$work/server.log")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server did not start: $(cat "$work/server.log")"
  sleep 0.05
done
[ -n "$url" ] || fail "the server did not say where it listens"
echo "motcua-server listening on $url"

step "The last weeks at Nậm Hàng, received on the commune's field laptop and synced"
quiet field enroll --server "$url" --token "$field_token"
quiet field sync
names=("Vừ A Lồng" "Lò Văn Pằng" "Vàng Thị Mai" "Sùng A Páo" "Tòng Thị Lả" "Lường Văn Hặc"
       "Giàng A Chứ" "Lù Thị Dung" "Quàng Văn Đông" "Tẩn Láo Lở" "Chẻo Thị Mẩy" "Lò Thị Xuân")
procedures=(MAU.HT.001 MAU.HT.002 MAU.HT.003 MAU.HT.004 MAU.HT.007 MAU.HT.008 MAU.BTXH.001)
channels=(counter counter online online online home postal)
n=0
for ago in 18 16 15 13 12 11 10 9 8 7 6 5 4 3 3 2 2 1 1 0 0; do
  i=$n
  n=$((n + 1))
  name=${names[$((i % ${#names[@]}))]}
  procedure=${procedures[$((i * 5 % ${#procedures[@]}))]}
  channel=${channels[$((i * 3 % ${#channels[@]}))]}
  at=$(days_ago "$ago" "$(printf '%02d:%02d' $((8 + i % 8)) $((i * 7 % 60)))")
  receipt=$(field cases receive --procedure "$procedure" --name "$name" \
              --citizen-id "$(printf '0120%08d' $((89001234 + i * 7919)))" \
              --phone "$(printf '09%08d' $((12345678 + i * 1031)))" \
              --address "Bản Nậm Manh, xã Nậm Hàng, tỉnh Lai Châu" \
              --channel "$channel" --papers 0,1 --at "$at" | sed -n 's/^Receipt number: *//p')
  [ -n "$receipt" ] || fail "could not receive a dossier"
  # Older dossiers have moved on: some are processed, approved and handed back.
  if [ "$ago" -ge 3 ]; then
    quiet field cases advance "$receipt" in_processing --at "$(days_ago $((ago - 1)) 09:30)"
    case $((i % 4)) in
      0|1)
        quiet field cases advance "$receipt" approved --result "Đã cấp" \
          --at "$(days_ago $((ago - 2)) 15:00)"
        if [ $((i % 4)) -eq 0 ]; then
          quiet field cases advance "$receipt" returned --via counter \
            --at "$(days_ago $((ago - 2)) 16:00)"
        fi
        ;;
      2)
        quiet field cases advance "$receipt" supplement_requested \
          --note "Thiếu bản sao giấy tờ" --at "$(days_ago $((ago - 2)) 10:00)"
        ;;
    esac
  fi
done
quiet field sync
echo "$n dossiers received, some processed, returned or waiting for a supplement; pushed to the server"

step "The reception desk of Nậm Hàng commune: enrolled with motcua-cli, first sync"
echo "\$ motcua-cli --db nam-hang.db enroll --server $url --token …"
reception enroll --server "$url" --token "$desk_token"
reception sync
reception status

# The desk's settings live with the demo: the user's own stay as they are.
export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME=$work/config
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
cat >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<EOF
[vn/gov/motcua/Desk]
officer-name='Lò Thị Hoa'
auto-sync-minutes=uint32 1
EOF

step "Opening the desk on that replica: close its window to end the demo (the server stops with it)"
desk_command=("$desk" --replica "$replica")
if [ -n "${MOTCUA_DEMO_DESK:-}" ]; then
  read -r -a desk_command <<<"$MOTCUA_DEMO_DESK"
  desk_command+=(--replica "$replica")
fi
# GTK wants a session bus; start one for the desk when there is none (what that bus's daemon
# says about the services it starts is of no interest here).
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  desk_command=(dbus-run-session -- "${desk_command[@]}")
  "${desk_command[@]}" > >(grep --line-buffered -v -e '^SpiRegistry') \
    2> >(grep --line-buffered -v -e '^dbus-daemon\[' -e '^SpiRegistry' >&2)
else
  "${desk_command[@]}"
fi
