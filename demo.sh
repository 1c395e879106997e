#!/usr/bin/env bash
# The main job on the bundled demo ledger: set up, check, print the flows by
# wijk and by buurt, rebuild the Arnhem pilot from the bundled CBS and Iv3
# files and print its costs, then serve Fava with the Wijkboekhouding page.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh

LEDGER=ledgers/spijkerkwartier/main.beancount
WB=.venv/bin/wijkboekhouding
$WB check "$LEDGER"
echo; echo "== Flows by wijk, 2024 (EUR) =="
$WB report "$LEDGER" --level wijk --by flows --period 2024
echo; echo "== Flows by buurt, 2024 (EUR) =="
$WB report "$LEDGER" --level buurt --by flows --period 2024
echo; echo "== Balances by buurt and account, 2024 =="
$WB report "$LEDGER" --level buurt --by account:2 --period 2024

# The Arnhem pilot, rebuilt by the importers from the bundled CBS snapshot
# and begroting into build/arnhem (ledgers/arnhem holds the same, committed).
PILOT=build/arnhem
rm -rf "$PILOT"
echo; echo "== Rebuilding the Arnhem pilot in $PILOT from the bundled data =="
$WB new "$PILOT" --gemeente GM0202 --name Arnhem
$WB import cbs "$PILOT/main.beancount" --table 85984NED --gemeente GM0202 \
    --from tests/fixtures/cbs/odata3/85984NED >"$PILOT/import-cbs.txt"
head -n 3 "$PILOT/import-cbs.txt"
echo "(the whole summary, with every missing figure: $PILOT/import-cbs.txt)"
$WB import iv3 "$PILOT/main.beancount" --gemeente GM0202 --year 2024 \
    --kind begroting --from importers/iv3/data/iv3_2024_begroting.csv \
    --journal "$PILOT/begroting.beancount"
$WB check "$PILOT/main.beancount"
echo; echo "== What the gemeente spends in Spijkerbuurt (BU02020211), begroting 2024 =="
$WB report "$PILOT/main.beancount" --costs --area BU02020211 --period 2024

if [ "${1:-}" != "--no-serve" ]; then
    echo
    exec $WB serve "$LEDGER" --port "${PORT:-5000}"
fi
