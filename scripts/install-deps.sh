#!/usr/bin/env bash
# Installs every build and test dependency of brickform from Debian's packages.
# Safe to run again; it only installs what is missing.
set -euo pipefail

pkgs=(
	build-essential clang cmake pkg-config git ca-certificates
	# libFuzzer's runtime for scripts/fuzz.sh (clang only recommends it)
	libclang-rt-14-dev
	libgrpc-dev protobuf-c-compiler libprotobuf-c-dev libprotobuf-dev
	# the static archives TFP_STATIC_GRPC links (libgrpc-dev depends on
	# them today; named so the build does not rest on that)
	libabsl-dev libre2-dev libc-ares-dev zlib1g-dev
	libssl-dev libmsgpack-dev libcurl4-openssl-dev libcjson-dev
	libmicrohttpd-dev libcmocka-dev
	curl python3 procps
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#pkgs[@]} packages present"
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
