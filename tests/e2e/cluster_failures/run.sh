#!/usr/bin/env bash
# databricks_cluster when starting goes wrong: a start that fails into
# ERROR is a diagnostic quoting the workspace's state message, and the
# cluster is still in the state, so a destroy removes it; Ctrl-C
# (StopProvider) during a long PENDING wait ends the apply within 2
# seconds, also keeping the cluster; a timeouts block bounds the wait;
# no_wait returns while PENDING; a
# create whose answer is lost is sent again with the same idempotency
# token and makes no second cluster.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 1000 --cluster-terminate-ms 200

cluster_count() {
	api GET /api/2.1/clusters/list |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("clusters",[])))'
}
write_config() {
	config_text <<EOF_TF
resource "databricks_cluster" "c" {
  cluster_name  = "$1"
  spark_version = "15.4.x-scala2.12"
  node_type_id  = "i3.xlarge"
  num_workers   = 1
  ${2:-}
}
EOF_TF
}

msg="Could not launch instances: InsufficientInstanceCapacity in us-west-2a"
curl -sS -X POST "$EMU_URL/_emulator/clusters/fail-next-start" \
	-d "{\"state\":\"ERROR\",\"state_message\":\"$msg\"}" >/dev/null
write_config broken
expect_exit 1 apply -auto-approve
expect_output "did not start"
expect_output "InsufficientInstanceCapacity in us-west-2a"
tf state list
grep -q "databricks_cluster.c" "$WORK/last.out" || fail "the failed cluster is not in the state"
[ "$(cluster_count)" = 1 ] || fail "expected one cluster in the workspace"
ok "a start that fails into ERROR quotes the state message and the cluster stays in state"
# A cluster in ERROR cannot be edited: one clear error, no retry loop.
# (Untainted, or Terraform would replace it instead of editing it.)
expect_exit 0 untaint databricks_cluster.c
edits=$(emulator_count "POST /api/2.1/clusters/edit")
write_config broken-renamed
t0=$(date +%s%N)
expect_exit 1 apply -auto-approve
took_ms=$((($(date +%s%N) - t0) / 1000000))
expect_output "INVALID_STATE"
[ "$(emulator_count "POST /api/2.1/clusters/edit")" -le $((edits + 1)) ] ||
	fail "edit was retried on a cluster in ERROR"
[ "$took_ms" -lt 20000 ] || fail "editing a cluster in ERROR took ${took_ms} ms to fail"
ok "editing a cluster in ERROR fails at once with the workspace's INVALID_STATE (${took_ms} ms)"
expect_exit 0 destroy -auto-approve
[ "$(cluster_count)" = 0 ] || fail "destroy left $(cluster_count) clusters"
ok "a destroy removes the failed cluster from the workspace"

# A start that takes a minute; the user presses Ctrl-C after 1 s of it.
curl -sS -X POST "$EMU_URL/_emulator/clusters/settings" -d '{"start_ms":60000}' >/dev/null
write_config slow
terraform -chdir="$WORK/cfg" apply -no-color -input=false -auto-approve \
	>"$WORK/interrupt.out" 2>&1 &
tf_pid=$!
for _ in $(seq 1 200); do
	[ "$(emulator_count "POST /api/2.1/clusters/create")" -ge 2 ] && break
	sleep 0.05
done
sleep 1
t0=$(date +%s%N)
kill -INT "$tf_pid"
rc=0
wait "$tf_pid" || rc=$?
took_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" -ne 0 ] || fail "an interrupted apply exited 0"
[ "$took_ms" -lt 2000 ] || fail "apply took ${took_ms} ms to stop after Ctrl-C"
grep -q "Interrupted" "$WORK/interrupt.out" || fail "no Interrupted diagnostic: $(cat "$WORK/interrupt.out")"
tf state list
grep -q "databricks_cluster.c" "$WORK/last.out" || fail "the interrupted cluster is not in the state"
ok "Ctrl-C during a 60 s PENDING wait: apply stopped ${took_ms} ms later and kept the cluster in state"

curl -sS -X POST "$EMU_URL/_emulator/clusters/settings" -d '{"start_ms":1000}' >/dev/null
expect_exit 0 destroy -auto-approve
[ "$(cluster_count)" = 0 ] || fail "destroy left $(cluster_count) clusters"

# A create time limit shorter than the start: apply gives up on time.
curl -sS -X POST "$EMU_URL/_emulator/clusters/settings" -d '{"start_ms":60000}' >/dev/null
write_config bounded 'timeouts {
    create = "2s"
  }'
t0=$(date +%s%N)
expect_exit 1 apply -auto-approve
took_ms=$((($(date +%s%N) - t0) / 1000000))
expect_output "Gave up waiting for cluster .* to be RUNNING after 2"
[ "$took_ms" -lt 15000 ] || fail "a 2s create timeout took ${took_ms} ms"
tf state list
grep -q "databricks_cluster.c" "$WORK/last.out" || fail "the timed-out cluster is not in the state"
curl -sS -X POST "$EMU_URL/_emulator/clusters/settings" -d '{"start_ms":1000}' >/dev/null
expect_exit 0 destroy -auto-approve
[ "$(cluster_count)" = 0 ] || fail "destroy left $(cluster_count) clusters"
ok "timeouts { create = \"2s\" } ends the wait after 2 s (apply took ${took_ms} ms), keeping the cluster in state"

curl -sS -X POST "$EMU_URL/_emulator/clusters/settings" -d '{"start_ms":60000}' >/dev/null
write_config quick "no_wait = true"
t0=$(date +%s%N)
expect_exit 0 apply -auto-approve
took_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$took_ms" -lt 20000 ] || fail "no_wait apply took ${took_ms} ms"
expect_output "state *= *\"PENDING\"|Apply complete"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 destroy -auto-approve
ok "no_wait returns while the cluster is PENDING and plans clean"

# Half the answers to clusters/create are lost after the cluster is made.
# The seed fixes which (creates are the only requests drawing, and
# -parallelism=1 sends them in order): some are lost, none three times.
curl -sS -X POST "$EMU_URL/_emulator/faults" \
	-d '{"spec":"POST /api/2.1/clusters/create:drop-create=0.5","seed":3}' >/dev/null
config_text <<'EOF_TF'
resource "databricks_cluster" "many" {
  count         = 4
  cluster_name  = "lossy-${count.index}"
  spark_version = "15.4.x-scala2.12"
  node_type_id  = "i3.xlarge"
  num_workers   = 1
  no_wait       = true
}
EOF_TF
expect_exit 0 apply -auto-approve -parallelism=1
curl -sS "$EMU_URL/_emulator/faults" >"$WORK/faults.json"
dropped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["injected"]["drop-create"])' "$WORK/faults.json")
[ "$dropped" -ge 1 ] || fail "no create answer was dropped: $(cat "$WORK/faults.json")"
[ "$(cluster_count)" = 4 ] || fail "expected 4 clusters, the workspace has $(cluster_count)"
expect_exit 0 plan -detailed-exitcode
curl -sS -X DELETE "$EMU_URL/_emulator/faults" >/dev/null
expect_exit 0 destroy -auto-approve
[ "$(cluster_count)" = 0 ] || fail "destroy left $(cluster_count) clusters"
ok "$dropped lost answers to clusters/create: resent with the same idempotency token, 4 clusters, none twice"
done_testing
