#!/usr/bin/env bash
# The quickstart's installation path: the provider copied into the implied
# local mirror under $HOME/.terraform.d/plugins, `terraform init` with no
# CLI configuration and no network, then apply of examples/quickstart; the
# next plan is empty and destroy cleans up.
source "$(dirname "$0")/../lib.sh"
start_emulator
secret_value correct-horse-battery-staple

export HOME="$WORK/home"
mirror="$HOME/.terraform.d/plugins/registry.terraform.io/brickform/databricks/0.1.0/linux_amd64"
mkdir -p "$mirror"
install -m 0755 "$TFP_PROVIDER" "$mirror/terraform-provider-databricks_v0.1.0"
: >"$WORK/empty.tfrc"
export TF_CLI_CONFIG_FILE="$WORK/empty.tfrc"

config "$REPO_DIR/examples/quickstart/main.tf"
expect_exit 0 init
expect_output "Installed brickform/databricks v0.1.0"
grep -q 'registry.terraform.io/brickform/databricks' "$WORK/cfg/.terraform.lock.hcl" ||
	fail "no lock entry for brickform/databricks"
ok "terraform init installs brickform/databricks 0.1.0 from the implied local mirror"

apply_clean
tf output -raw password_reference
[ "$(cat "$WORK/last.out")" = "{{secrets/quickstart-app/db-password}}" ] ||
	fail "unexpected output: $(cat "$WORK/last.out")"
ok "the quickstart applies and the next plans are empty"

expect_exit 0 destroy -auto-approve
ok "destroy"
done_testing
