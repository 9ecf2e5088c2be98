#!/bin/sh
# headroom run: the inventory's unit, unit_name and unit_cost columns and
# [inventory] currency; units in capacity.json, numbers for people and
# orders summed per kind (never across kinds) in the Markdown; status
# agrees with the order; bad unit columns are located errors (exit 65).
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1
"$HR_BUILD/datasets/gen_fleet" --out fleet --seed 7 --services 6 --days 120 >/dev/null || bad "gen_fleet failed"
cat >ok.ini <<EOF
[store]
path = $T/s.h5
[ingest]
exports = fleet/exports/*.csv fleet/exports/*.json
[inventory]
path = $T/inv.csv
currency = EUR
[output]
dir = $T/rep
EOF
# the fleet's inventory with the new columns: disks of one named, priced
# kind; CPUs with a unit_name but no price; the rest as they were, and
# one unit given by the inventory although the name has one
awk -F, 'NR == 1 { print $0 ",unit,unit_name,unit_cost"; next }
         /^"disk_used_bytes/ { print $0 ",,2 TiB disk,180"; next }
         /^"cpu_used_cores/ { print $0 ",,8-core VM,"; next }
         /^"mem_used_bytes/ { print $0 ",bytes,,"; next }
         { print $0 ",,," }' fleet/inventory.csv >inv.csv
expect_rc 0 "$H" run --config ok.ini --now 2024-06-15T02:15:00Z
J=rep/latest/capacity.json
M=rep/latest/capacity.md
grep -q '"unit_name": "2 TiB disk"' $J && ok || bad "unit_name missing in capacity.json"
grep -q '"currency": "EUR"' $J && ok || bad "currency missing in capacity.json"
python3 - "$J" >py.out 2>&1 <<'EOF' && ok || bad "capacity.json orders: $(cat py.out)"
import json, sys
j = json.load(open(sys.argv[1]))
res = {r["series"]: r for r in j["resources"]}
ks = {k["kind"]: k for k in j["summary"]["orders_by_kind"]}
assert "units_to_order" not in j["summary"], "a total across kinds"
def adds(prefix):
    return sum((r["recommendation"] or {}).get("units_to_add") or 0 for k, r in res.items() if k.startswith(prefix))
add, cpu = adds("disk_used_bytes"), adds("cpu_used_cores")
assert add > 0 and cpu > 0, "no disks or CPUs to order: the test data changed"
assert ks["2 TiB disk"]["units"] == add, ks
assert abs(ks["2 TiB disk"]["cost"] - 180 * add) < 1e-9, ks
assert ks["2 TiB disk"]["unit_name"] == "2 TiB disk"
assert ks["8-core VM"]["units"] == cpu and ks["8-core VM"]["cost"] is None, ks
assert abs(j["summary"]["order_cost"] - 180 * add) < 1e-9
for k in ks.values():
    if k["kind"] != "2 TiB disk":
        assert k["cost"] is None, k
units = {k.split("{")[0]: r["unit"] for k, r in res.items()}
assert units == {"cpu_used_cores": "cores", "disk_used_bytes": "bytes", "mem_used_bytes": "bytes",
                 "http_requests_total": "req/s"}, units
# status agrees with the order
for r in j["resources"]:
    rec = r["recommendation"] or {}
    if rec.get("order_overdue") and r["saturation"]["status"] != "saturated":
        assert r["status"] == "order_overdue", r["series"]
    if r["status"] == "ok":
        assert not rec.get("order_overdue"), r["series"]
EOF
grep -q '^### Orders by kind' $M && ok || bad "no Orders by kind in capacity.md"
grep -q '^| 2 TiB disk | ' $M && ok || bad "no 2 TiB disk row: $(grep -A6 'Orders by kind' $M)"
grep -q 'EUR' $M && ok || bad "no cost in EUR in capacity.md"
grep -q 'GiB |' $M && ok || bad "no GiB value in capacity.md"
if grep -qE '[0-9]e[+-][0-9]' $M rep/latest/capacity.html; then bad "an exponent in the Markdown or HTML: $(grep -oE '.{30}[0-9]e[+-][0-9].{10}' $M rep/latest/capacity.html | head -3)"; else ok; fi
if grep -q 'units in all' $M; then bad "a units total across kinds"; else ok; fi
python3 "$HR_TOP/tools/report_check.py" md-json rep/latest >py.out 2>&1 && ok || bad "md-json: $(tail -5 py.out)"

# bad columns: a negative cost, a unit_name with a control character
printf 'series,capacity,unit_cost\nmem_used_bytes,6e9,-3\n' >inv.csv
expect_rc 65 "$H" run --config ok.ini
expect_err "inv.csv:2:"
expect_err "unit_cost"
printf 'series,capacity,unit_name\nmem_used_bytes,6e9,"a\tb"\n' >inv.csv
expect_rc 65 "$H" run --config ok.ini
expect_err "unit_name"
# a bad currency is a config error
sed 's/^currency = EUR/currency = /' ok.ini >cur.ini
expect_rc 78 "$H" run --config cur.ini
expect_err "currency"
summary units_cli
