#!/usr/bin/env bash
# The layer check CI runs (style guide §2.2): dependencies only point down.
# It reads #include lines and stdout writes, and knows nothing of C beyond
# that; the compiler cannot see these rules because every library's include
# directory is public to the ones above it.
#
#   provider/   the framework includes no client or resources header and
#               never curl (main.c, the composition root, may include the
#               provider definition, databricks.h);
#   curl        only client/ includes <curl/...>;
#   resources/  no gRPC, protobuf(-c) or msgpack header, nor the
#               framework's wire modules (msgpack.h rpc.h server.h plugin.h);
#   exporter/   the same as resources/: it drives the resources through
#               the lifecycle and the client, never the wire; and nothing
#               below it (provider/ but main.c, client/, resources/)
#               includes an exporter header;
#   emulator/core/  no header of an emulator family folder;
#   stdout      nothing in provider/ client/ resources/ but provider/plugin.c
#               writes to stdout (a stray byte breaks go-plugin's handshake);
#               nor does exporter/ (it writes files, and stderr).
#
# Quoted includes are resolved by file name, as the compiler does with the
# layers' include directories: a header basename that lives in a forbidden
# folder (and not in the includer's own folder) is flagged, and so is a path
# that names a forbidden folder ("compute/cluster_spec.h").
#
#   scripts/check-layers.sh [ROOT]    (default: the repository root)
#
# Prints "check-layers: FILE:LINE: RULE: #include ..." per violation and
# exits 1, else prints a one-line summary and exits 0.
set -euo pipefail
shopt -s nullglob globstar

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
for d in provider client resources exporter emulator/core; do
	[ -d "$d" ] || {
		echo "check-layers: $root has no $d/" >&2
		exit 2
	}
done

# basenames DIR-GLOB...: " a.h b.h " (spaces around each name).
basenames() {
	local f out=" "
	for f in "$@"; do
		out+="${f##*/} "
	done
	printf '%s' "$out"
}

provider_h=$(basenames provider/*.h)
client_h=$(basenames client/*.h)
resources_h=$(basenames resources/**/*.h)
exporter_h=$(basenames exporter/*.h)
core_h=$(basenames emulator/core/*.h)
families=()
for d in emulator/*/; do
	d=${d%/}
	[ "$d" = emulator/core ] || families+=("${d#emulator/}")
done
family_h=" "
for fam in "${families[@]}"; do
	family_h+=$(basenames "emulator/$fam"/*.h)
done
resource_dirs=" "
for d in resources/*/; do
	d=${d%/}
	resource_dirs+="${d#resources/} "
done

# Every file is read once, by one awk program: the rules above, by folder.
files=(provider/*.c provider/*.h client/*.c client/*.h
	resources/**/*.c resources/**/*.h exporter/*.c exporter/*.h
	emulator/**/*.c emulator/**/*.h)
status=0
awk -v provider_h="$provider_h" -v client_h="$client_h" \
	-v resources_h="$resources_h" -v resource_dirs="$resource_dirs" \
	-v exporter_h="$exporter_h" \
	-v core_h="$core_h" -v family_h="$family_h" -v families=" ${families[*]} " \
	-v nfiles="${#files[@]}" '
function has(set, name) { return index(set, " " name " ") > 0 }
function report(rule, text) {
	printf "check-layers: %s:%d: %s: %s\n", FILENAME, FNR, rule, text
	violations++
}
function own_headers(file,    dir, cmd, h, out) {
	dir = file
	sub(/\/[^\/]*$/, "", dir)
	if (dir in owncache)
		return owncache[dir]
	out = " "
	cmd = "cd \"" dir "\" && ls -1 -- *.h 2>/dev/null"
	while ((cmd | getline h) > 0)
		out = out h " "
	close(cmd)
	owncache[dir] = out
	return out
}
FNR == 1 {
	layer = FILENAME ~ /^provider\// ? "framework" : \
		FILENAME ~ /^client\// ? "client" : \
		FILENAME ~ /^resources\// ? "resources" : \
		FILENAME ~ /^exporter\// ? "exporter" : \
		FILENAME ~ /^emulator\/core\// ? "emucore" : "emulator"
	own = own_headers(FILENAME)
	in_comment = 0
}
# #include lines: kind is "<" or "\"", name what is between the delimiters.
/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
	line = $0
	sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
	kind = substr(line, 1, 1)
	rest = substr(line, 2)
	end = index(rest, kind == "<" ? ">" : "\"")
	if (end == 0)
		next
	name = substr(rest, 1, end - 1)
	shown = kind == "<" ? "#include <" name ">" : "#include \"" name "\""
	base = name
	sub(/.*\//, "", base)
	dir = ""
	if (index(name, "/") > 0) {
		dir = name
		sub(/^(\.\.\/)+/, "", dir)
		sub(/\/.*/, "", dir)
	}
	is_curl = name ~ /^curl(\/|\.h$)/
	local = kind == "\"" && dir == "" && has(own, base)

	if (is_curl && layer != "client") {
		report(layer == "framework" ? "framework includes curl" : \
		       "curl outside client/", shown)
		next
	}
	if ((layer == "framework" || layer == "client" || layer == "resources") &&
	    kind == "\"" && !local &&
	    (dir == "exporter" || (dir == "" && has(exporter_h, base)))) {
		if (FILENAME == "provider/main.c" && base == "exporter.h")
			next
		report(layer " includes an exporter header", shown)
		next
	}
	if (layer == "framework" && kind == "\"" && !local) {
		if (FILENAME == "provider/main.c" &&
		    (name == "databricks.h" || name == "resources/databricks.h"))
			next
		if (dir == "client" || (dir == "" && has(client_h, base)))
			report("framework includes a client header", shown)
		else if (dir == "resources" || (dir != "" && has(resource_dirs, dir)) ||
			 (dir == "" && has(resources_h, base)))
			report("framework includes a resources header", shown)
	}
	if ((layer == "resources" || layer == "exporter") && !local) {
		if (name ~ /^(grpc|grpcpp|protobuf-c|google\/protobuf|msgpack)\// ||
		    name ~ /\.pb-c\.h$/ || base == "msgpack.h" ||
		    (kind == "\"" && (base == "rpc.h" || base == "server.h" ||
				      base == "plugin.h")))
			report(layer == "exporter" ? "exporter includes a wire header" : \
			       "resources include a wire header", shown)
	}
	if (layer == "emucore" && kind == "\"" && !local) {
		if ((dir != "" && has(families, dir)) ||
		    (dir == "" && has(family_h, base) && !has(core_h, base)))
			report("emulator core includes a family header", shown)
	}
	next
}
# Writes to stdout, outside comments: printf( and vprintf( (not fprintf
# or snprintf), puts( and putchar( (not fputs), the stream functions
# given stdout, and write(1, ...).
layer == "framework" || layer == "client" || layer == "resources" || layer == "exporter" {
	if (FILENAME == "provider/plugin.c")
		next
	code = $0
	if (in_comment) {
		if (index(code, "*/") == 0)
			next
		sub(/.*\*\//, "", code)
		in_comment = 0
	}
	gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", code)
	if (index(code, "/*") > 0) {
		sub(/\/\*.*/, "", code)
		in_comment = 1
	}
	sub(/\/\/.*/, "", code)
	gsub(/"([^"\\]|\\.)*"/, "\"\"", code)
	if (code ~ /(^|[^A-Za-z0-9_])(v?printf|puts|putchar)[ \t]*\(/ ||
	    code ~ /(fputs|fwrite|fprintf|vfprintf|fputc|putc|fflush)[ \t]*\(.*(^|[^A-Za-z0-9_])stdout([^A-Za-z0-9_]|$)/ ||
	    code ~ /(^|[^A-Za-z0-9_])write[ \t]*\([ \t]*(1|STDOUT_FILENO)[ \t]*,/) {
		text = $0
		sub(/^[ \t]+/, "", text)
		report("stdout outside provider/plugin.c", text)
	}
}
END {
	if (violations > 0) {
		printf "check-layers: %d violation(s) in %d files\n", violations, nfiles > "/dev/stderr"
		exit 1
	}
	printf "check-layers: %d files, no layer violations\n", nfiles
}' "${files[@]}" || status=$?
exit "$status"
