#!/usr/bin/env bash
# examples/medallion: a Unity Catalog medallion layout in one plan (bronze,
# silver and gold schemas, a volume for raw files, an external table over
# an external location, a managed table, a view, grants per layer, the
# billing and access system schemas). Apply and every plan after it are
# clean; each layer's grants reached the metastore; a layer changed by
# REST is drift that apply takes back; destroy leaves the metastore as it
# was.
source "$(dirname "$0")/../lib.sh"
start_emulator
UC=/api/2.1/unity-catalog

config "$TFP_SOURCE_DIR/examples/medallion/main.tf"
apply_clean

grants() {
	api GET "$UC/permissions/$1/$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted("%s:%s" % (a["principal"], ",".join(sorted(a["privileges"]))) for a in d.get("privilege_assignments", []))))'
}
[ "$(grants schema lakehouse.gold)" = "analysts:SELECT,USE_SCHEMA data-engineers:CREATE_TABLE,MODIFY,SELECT,USE_SCHEMA" ] ||
	fail "gold grants: $(grants schema lakehouse.gold)"
grants schema lakehouse.bronze | grep -q 'READ_VOLUME' || fail "bronze grants: $(grants schema lakehouse.bronze)"
api GET "$UC/tables/lakehouse.gold.daily_revenue" | grep -q '"table_type":"VIEW"' || fail "the gold view"
api GET "$UC/volumes/lakehouse.bronze.raw_files" | grep -q '"volume_type":"MANAGED"' || fail "the raw volume"
ok "the medallion layout applies and plans clean; each layer has its grants"

api PATCH "$UC/schemas/lakehouse.gold" '{"comment":"changed in the UI"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
apply_clean
[ "$(api GET "$UC/schemas/lakehouse.gold" | python3 -c 'import json,sys; print(json.load(sys.stdin)["comment"])')" = "business aggregates" ] ||
	fail "the gold schema's comment was not restored"
ok "a layer's comment changed by REST is drift that apply takes back"

expect_exit 0 destroy -auto-approve
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $E2E_TOKEN" "$EMU_URL$UC/catalogs/lakehouse")
[ "$code" = 404 ] || fail "the catalog is left after destroy (GET answered $code)"
ok "destroy removes the layout"

done_testing
