# What the Unity Catalog end-to-end tests (tests/e2e/uc_*/run.sh) share:
# the API prefixes and the checks they make of the workspace by REST. A
# test sources it after lib.sh, whose api and fail it uses. Not a test
# itself: ctest runs only tests/e2e/<case>/run.sh.
# shellcheck shell=bash

UC=/api/2.1/unity-catalog
PERM=$UC/permissions

# jget PATH EXPR: a Python expression over the JSON reply "j" to GET PATH.
jget() {
	api GET "$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}

# grants_are PATH JSON: the workspace's grants on PATH (every page) are
# exactly JSON, {"principal": ["PRIV", ...]}, privileges in any order.
# Exact, so that a test also sees grants it should have left alone go.
grants_are() {
	local path=$1 want=$2
	api GET "$path?max_results=0" >"$WORK/grants.json"
	python3 - "$WORK/grants.json" "$want" <<'PY' || fail "grants on $path: $(cat "$WORK/grants.json"), want $want"
import json, sys
got = {a["principal"]: sorted(a.get("privileges") or [])
       for a in json.load(open(sys.argv[1])).get("privilege_assignments") or []}
want = {p: sorted(v) for p, v in json.loads(sys.argv[2]).items()}
assert got == want, (got, want)
PY
}

# sql WAREHOUSE STATEMENT: runs STATEMENT through the Statement Execution
# API on WAREHOUSE, as a person at a SQL editor would behind Terraform's
# back; fails unless it SUCCEEDED.
sql() {
	python3 -c 'import json,sys; print(json.dumps({"warehouse_id": sys.argv[1], "statement": sys.argv[2], "wait_timeout": "30s"}))' \
		"$1" "$2" >"$WORK/sql.json"
	curl -sS -X POST -H "Authorization: Bearer $E2E_TOKEN" \
		-H 'Content-Type: application/json' --data @"$WORK/sql.json" \
		"$EMU_URL/api/2.0/sql/statements" >"$WORK/sql.out"
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(j.get("status",{}).get("state") != "SUCCEEDED")' \
		"$WORK/sql.out" || fail "SQL $2: $(cat "$WORK/sql.out")"
}
