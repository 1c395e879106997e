#!/usr/bin/env bash
# The main job on the bundled demo ledger: set up, check, print the flows by
# wijk and by buurt, then serve Fava with the Wijkboekhouding page.
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
if [ "${1:-}" != "--no-serve" ]; then
    echo
    exec $WB serve "$LEDGER" --port "${PORT:-5000}"
fi
