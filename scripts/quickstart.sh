#!/usr/bin/env bash
# Builds brickform, installs the provider where `terraform init` finds it
# with no CLI configuration (the implied local mirror under
# ~/.terraform.d/plugins), starts brickform-emulator on a free loopback port
# and runs `terraform init` and `terraform apply` on examples/quickstart.
#
# The emulator keeps running afterwards so you can run `terraform plan`
# yourself; the script prints how to reach and stop it. Set
# QUICKSTART_STOP=1 to stop it at the end instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=0.1.0

./scripts/install-deps.sh
command -v terraform >/dev/null || {
	echo "quickstart: terraform is not on PATH; install Terraform >= 1.5 first" >&2
	exit 1
}

echo "== build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" \
	--target terraform-provider-databricks brickform-emulator

echo "== install the provider into the implied local mirror"
mirror="$HOME/.terraform.d/plugins/registry.terraform.io/brickform/databricks/$version/linux_amd64"
mkdir -p "$mirror"
install -m 0755 build/terraform-provider-databricks \
	"$mirror/terraform-provider-databricks_v$version"
echo "   $mirror/terraform-provider-databricks_v$version"

echo "== start brickform-emulator"
work="$root/examples/quickstart"
token="dapi-quickstart-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
state="$work/.emulator-state.json"
out="$work/.emulator.out"
# A previous run's emulator would hold stale state: stop it first.
if [ -f "$work/.emulator.pid" ]; then
	kill "$(cat "$work/.emulator.pid")" 2>/dev/null || true
	rm -f "$work/.emulator.pid"
fi
rm -f "$state" "$work/terraform.tfstate" "$work/terraform.tfstate.backup"
setsid build/brickform-emulator --port 0 --token "$token" --state "$state" \
	>"$out" 2>"$work/.emulator.err" </dev/null &
echo $! >"$work/.emulator.pid"
for _ in $(seq 1 100); do
	grep -q '^listening on ' "$out" 2>/dev/null && break
	sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$out" | head -n1)
[ -n "$url" ] || { echo "quickstart: the emulator did not start" >&2; cat "$work/.emulator.err" >&2; exit 1; }
echo "   $url (pid $(cat "$work/.emulator.pid"))"

export DATABRICKS_HOST="$url" DATABRICKS_TOKEN="$token" CHECKPOINT_DISABLE=1
# The machine may point TF_CLI_CONFIG_FILE at a file that does not exist;
# the implied local mirror needs no CLI configuration at all.
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
export TF_CLI_CONFIG_FILE="$cfg"

echo "== terraform init"
terraform -chdir="$work" init -input=false -no-color
echo "== terraform apply"
terraform -chdir="$work" apply -input=false -auto-approve -no-color

if [ "${QUICKSTART_STOP:-0}" = 1 ]; then
	kill "$(cat "$work/.emulator.pid")" 2>/dev/null || true
	rm -f "$work/.emulator.pid"
	echo "== done (emulator stopped)"
else
	cat <<MSG
== done
The emulator is still running. To keep working with it:
  export DATABRICKS_HOST=$url DATABRICKS_TOKEN=$token
  terraform -chdir=examples/quickstart plan
Stop it with: kill \$(cat examples/quickstart/.emulator.pid)
MSG
fi
