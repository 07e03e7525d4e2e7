#!/usr/bin/env bash
# Provider authentication end to end, on the quickstart configuration:
# a personal access token, OAuth M2M from DATABRICKS_CLIENT_ID/SECRET, a
# profile of a test-owned config file; OAuth tokens that expire during a
# long apply are refreshed; a token and OAuth credentials together are an
# error naming both; TRACE logs carry neither the secret nor a token; the
# Databricks CLI and a metadata service (both stand-ins) give tokens too.
source "$(dirname "$0")/../lib.sh"
SP_ID=sp-e2e-id
SP_SECRET="sp-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$SP_SECRET"
start_emulator --oauth-client "$SP_ID:$SP_SECRET" --oauth-token-ttl 2
export HOME="$WORK/home"
mkdir -p "$HOME"
unset DATABRICKS_CLIENT_ID DATABRICKS_CLIENT_SECRET DATABRICKS_CONFIG_FILE \
	DATABRICKS_CONFIG_PROFILE DATABRICKS_AUTH_TYPE

# quickstart_cycle WHAT: the quickstart applies, plans clean, is destroyed.
quickstart_cycle() {
	config "$REPO_DIR/examples/quickstart/main.tf"
	apply_clean
	tf output -raw password_reference
	[ "$(cat "$WORK/last.out")" = "{{secrets/quickstart-app/db-password}}" ] ||
		fail "unexpected output with $1: $(cat "$WORK/last.out")"
	expect_exit 0 destroy -auto-approve
}
cycled() {
	ok "the quickstart applies, plans clean and is destroyed with $1"
}

# (a) a personal access token from the environment.
quickstart_cycle PAT
cycled "a PAT from DATABRICKS_HOST/DATABRICKS_TOKEN"

# (b) OAuth M2M, with TRACE logging on (f).
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_CLIENT_ID="$SP_ID" DATABRICKS_CLIENT_SECRET="$SP_SECRET"
	export TF_LOG=TRACE TF_LOG_PATH="$WORK/trace.log"
	quickstart_cycle "OAuth M2M"
)
cycled "OAuth M2M from DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET"
[ "$(emulator_count "POST /oidc/v1/token")" -ge 1 ] ||
	fail "no OAuth token was requested"
ok "OAuth M2M asked the token endpoint for tokens"

# (f) the TRACE log has no secret and no token.
[ -s "$WORK/trace.log" ] || fail "no TRACE log written"
grep -q "$SP_SECRET" "$WORK/trace.log" && fail "the client secret is in the TRACE log"
grep -Eq 'dose[0-9a-fA-F]{8,}' "$WORK/trace.log" && fail "an OAuth access token is in the TRACE log"
grep -q 'access_token' "$WORK/trace.log" && fail "an OAuth token answer is in the TRACE log"
grep -q "$E2E_TOKEN" "$WORK/trace.log" && fail "the PAT is in the TRACE log"
ok "the TRACE log holds neither the client secret nor a token"
grep -q 'User-Agent: brickform/[^ ]* terraform/[^ ]* auth/oauth-m2m ' "$WORK/trace.log" ||
	fail "the User-Agent does not name auth/oauth-m2m: $(grep -m1 'User-Agent' "$WORK/trace.log")"
ok "the User-Agent names the method in use (auth/oauth-m2m)"

# (c) a profile of a config file named by the environment.
cat >"$WORK/databrickscfg" <<EOF_CFG
# written by the auth_methods test
[DEFAULT]
host = https://wrong.invalid

[e2e]
host  = $EMU_URL
token = $E2E_TOKEN
EOF_CFG
(
	unset DATABRICKS_HOST DATABRICKS_TOKEN
	export DATABRICKS_CONFIG_FILE="$WORK/databrickscfg" DATABRICKS_CONFIG_PROFILE=e2e
	quickstart_cycle "a profile"
)
cycled "profile e2e of DATABRICKS_CONFIG_FILE"

# (c') a profile that is not in the file is a clear error.
(
	unset DATABRICKS_HOST DATABRICKS_TOKEN
	export DATABRICKS_CONFIG_FILE="$WORK/databrickscfg" DATABRICKS_CONFIG_PROFILE=nope
	config "$REPO_DIR/examples/quickstart/main.tf"
	expect_exit 1 plan
	expect_output 'profile "nope" is not in the config file'
)
ok "a missing profile is an error naming the profile and the file"

# (d) tokens live 2 s; an apply of 30 resources at -parallelism=2 lasts
# longer, so tokens are refreshed (or replaced after a 401) on the way.
{
	echo 'resource "databricks_secret_scope" "many" { name = "many" }'
	for i in $(seq 1 29); do
		cat <<EOF_TF
resource "databricks_secret" "s$i" {
  scope        = databricks_secret_scope.many.name
  key          = "k$i"
  string_value = "v$i"
}
EOF_TF
	done
} | config_text
before=$(emulator_count "POST /oidc/v1/token")
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_CLIENT_ID="$SP_ID" DATABRICKS_CLIENT_SECRET="$SP_SECRET"
	start=$(date +%s)
	expect_exit 0 apply -auto-approve -parallelism=2
	end=$(date +%s)
	[ $((end - start)) -ge 3 ] || echo "note: apply took $((end - start)) s" >&2
	expect_exit 0 plan -detailed-exitcode -parallelism=2
	expect_exit 0 destroy -auto-approve -parallelism=2
)
after=$(emulator_count "POST /oidc/v1/token")
[ "$after" -gt $((before + 1)) ] ||
	fail "expected several token requests during the long apply, got $((after - before))"
ok "30 resources apply with 2 s OAuth tokens: tokens are refreshed ($((after - before)) fetched)"

# (e) a token and OAuth credentials together: an error naming both.
(
	export DATABRICKS_CLIENT_ID="$SP_ID" DATABRICKS_CLIENT_SECRET="$SP_SECRET"
	config "$REPO_DIR/examples/quickstart/main.tf"
	expect_exit 1 plan
	expect_output 'more than one authentication method'
	expect_output 'pat and oauth-m2m'
	grep -q "$SP_SECRET" "$WORK/last.out" && fail "the error shows the secret"
	# auth_type chooses one of them.
	export DATABRICKS_AUTH_TYPE=oauth-m2m
	expect_exit 0 plan
)
ok "DATABRICKS_TOKEN with client id/secret is an error naming both; auth_type chooses"

# A wrong secret says which method failed and why, not the secret.
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_CLIENT_ID="$SP_ID" DATABRICKS_CLIENT_SECRET="wrong-$SP_SECRET"
	config "$REPO_DIR/examples/quickstart/main.tf"
	expect_exit 1 apply -auto-approve
	expect_output 'Authentication with oauth-m2m failed'
	expect_output 'HTTP 401'
	grep -q "wrong-$SP_SECRET" "$WORK/last.out" && fail "the error shows the secret"
	true
)
[ "$(api GET /api/2.0/secrets/scopes/list)" = '{}' ] ||
	[ "$(api GET /api/2.0/secrets/scopes/list | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("scopes",[])))')" = 0 ] ||
	fail "something was created with a wrong secret"
ok "a wrong client secret names the method and the OAuth error"

# databricks-cli and metadata-service: a second workspace that accepts any
# bearer token, a stand-in CLI and a stand-in metadata service.
"$TFP_EMULATOR" --port 0 >"$WORK/emu2.out" 2>"$WORK/emu2.err" </dev/null &
EMU2_PID=$!
cat >"$WORK/meta.py" <<'EOF_PY'
import http.server, json, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = (self.headers.get("X-Databricks-Metadata-Version") == "1"
              and self.headers.get("X-Databricks-Host") == sys.argv[1])
        body = json.dumps({"access_token": "meta-token-e2e", "token_type": "Bearer",
                           "expires_on": int(time.time()) + 3600} if ok else
                          {"error": "bad_request"}).encode()
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
EOF_PY
for _ in $(seq 1 200); do
	grep -q '^listening on ' "$WORK/emu2.out" 2>/dev/null && break
	sleep 0.05
done
EMU2_URL=$(sed -n 's/^listening on //p' "$WORK/emu2.out" | head -n1)
[ -n "$EMU2_URL" ] || fail "second emulator did not start"
python3 "$WORK/meta.py" "$EMU2_URL" >"$WORK/meta.port" 2>/dev/null &
META_PID=$!
trap 'st=$?; kill "$EMU2_PID" "$META_PID" 2>/dev/null || true; (exit $st); cleanup' EXIT
for _ in $(seq 1 200); do
	[ -s "$WORK/meta.port" ] && break
	sleep 0.05
done
cat >"$WORK/fake-databricks" <<EOF_SH
#!/bin/sh
echo "\$*" >"$WORK/cli.args"
echo '{"access_token":"cli-token-e2e","token_type":"Bearer","expiry":"2099-01-01T00:00:00.123+01:00"}'
EOF_SH
chmod +x "$WORK/fake-databricks"
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_HOST="$EMU2_URL" DATABRICKS_CLI_PATH="$WORK/fake-databricks"
	quickstart_cycle "the Databricks CLI"
	[ "$(cat "$WORK/cli.args")" = "auth token --host $EMU2_URL" ] ||
		fail "the CLI was run as: $(cat "$WORK/cli.args")"
)
cycled "databricks-cli (DATABRICKS_CLI_PATH)"
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_HOST="$EMU2_URL"
	export DATABRICKS_METADATA_SERVICE_URL="http://localhost:$(cat "$WORK/meta.port")/token"
	quickstart_cycle "a metadata service"
)
cycled "metadata-service (DATABRICKS_METADATA_SERVICE_URL)"
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_HOST="$EMU2_URL"
	export DATABRICKS_METADATA_SERVICE_URL="http://metadata.example.com/token"
	config "$REPO_DIR/examples/quickstart/main.tf"
	expect_exit 1 plan
	expect_output 'metadata_service_url must be a localhost URL'
	export DATABRICKS_METADATA_SERVICE_URL="http://localhost:1/token"
	export DATABRICKS_AUTH_TYPE=databricks-cli DATABRICKS_CLI_PATH="$WORK/no-such-cli"
	expect_exit 1 apply -auto-approve
	expect_output 'Authentication with databricks-cli failed'
)
ok "a remote metadata URL and a missing CLI are clear errors"

done_testing
