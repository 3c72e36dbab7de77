#!/usr/bin/env bash
# The demo: a day at the public administration service centre of Nậm Hàng commune (Lai Châu),
# which since 1 July 2025 joins the former Nậm Hàng and Nậm Manh communes and Nậm Nhùn town of
# the ended Nậm Nhùn district: entirely offline, driven through motcua-cli as a script would.
set -euo pipefail

cli=${1:?usage: tools/demo.sh PATH/TO/motcua-cli}
data=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
work=$(mktemp -d -t motcua-demo-XXXXXX)
trap 'rm -rf "$work"' EXIT

export MOTCUA_DB="$work/nam-hang.db"
export MOTCUA_OFFICER="Lò Thị Hoa"
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
year=${today%%-*}
month_start=${today%-*}-01

step() { printf '\n\033[1m== %s\033[0m\n$ motcua-cli %s\n' "$1" "${*:2}"; "$cli" "${@:2}"; }

step "Create the replica of Nậm Hàng commune: the offices before the reform, then the reform" \
  init --office LC.NAMHANG --offices "$data/offices.json" \
    --reorganisation "$data/reorganisation-2025-07-01.json"
step "The province's offices today: no district any more" offices list
step "What the reform of 1 July 2025 did (already applied here: it changes nothing)" \
  reorganisation preview "$data/reorganisation-2025-07-01.json"
step "Load the procedure catalogue (sample data)" catalogue import "$data/catalogue.json"
for f in "$data"/calendar-*.json; do
  step "Load the published calendar $(basename "$f")" calendar import "$f"
done
step "The officer types what the villager asks for, without diacritics" \
  catalogue search dang ky khai sinh --limit 3
step "What does a birth registration need?" catalogue show MAU.HT.001

step "Receive a birth registration at the counter" \
  cases receive --procedure MAU.HT.001 --name "Vừ A Lồng" --citizen-id 012089001234 \
    --phone 0912345678 --address "Bản Nậm Manh, xã Nậm Hàng" --channel counter --papers 0,1
step "Receive a marriage registration submitted online" \
  cases receive --procedure MAU.HT.002 --name "Lò Văn Pằng" --citizen-id 012095004321 \
    --channel online --papers 0,1
step "A home visit by the digital-technology team: a monthly social allowance" \
  cases receive --procedure MAU.BTXH.001 --name "Vàng Thị Mai" --citizen-id 012150007788 \
    --channel home --priority elderly --papers 0
step "The district registered business households until 30 June 2025: its version is refused today" \
  cases receive --procedure MAU.HKD.001 --name "Lò Văn Pằng" --citizen-id 012095004321 \
    --channel counter --papers 0,1 || true
step "Since 1 July 2025 the commune registers them" \
  cases receive --procedure MAU.HKD.001.2025 --name "Lò Văn Pằng" --citizen-id 012095004321 \
    --address "Bản Nậm Hàng, xã Nậm Hàng" --channel counter --papers 0,1

# Receipt numbers run per office and year: the first dossier of the year is 000001.
first="LC.NAMHANG-$year-000001"
if "$cli" cases show "$first" >/dev/null 2>&1; then
  step "Process the birth registration" cases advance "$first" in_processing
  step "Approve it" cases advance "$first" approved --result "Giấy khai sinh"
  step "Return the result at the counter" cases advance "$first" returned --via counter
  step "The applicant rates the service" cases edit "$first" rating=5
  step "An illegal step is refused and changes nothing" cases advance "$first" in_processing || true
  step "The case with its timeline" cases show "$first"
fi

step "Open cases" cases list --open
step "Working days: a 10-day procedure received today" calendar due "$today" 10
step "This year's days off and make-up working days" calendar holidays "$year"
step "The one-stop report for this month" report --from "$month_start" --to "$today"
step "Replica status" status
