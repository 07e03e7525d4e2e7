#!/usr/bin/env bash
# brickform-emulator against hostile clients: with 1,000 idle connections
# held open (more than its old 512-connection limit) and clients sending
# 50 MB bodies (declared and chunked), a normal API request is still
# answered in under 100 ms; SIGTERM ends it promptly although the
# connections are still open; --state never writes through a symlink
# planted at FILE.tmp, and a FIFO given as --state is refused at once.
source "$(dirname "$0")/../lib.sh"
start_emulator

python3 - "$EMU_URL" "$E2E_TOKEN" <<'PY' || fail "the emulator starved under hostile clients"
import socket, sys, threading, time, urllib.parse
url, token = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(url)
host, port = u.hostname, u.port

def timed_request():
    t = time.monotonic()
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(("GET /api/2.0/secrets/scopes/list HTTP/1.1\r\nHost: x\r\n"
               "Authorization: Bearer %s\r\nConnection: close\r\n\r\n" % token).encode())
    data = b""
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:100]
    return time.monotonic() - t

idle = []
for _ in range(1000):
    idle.append(socket.create_connection((host, port), timeout=5))

stop = threading.Event()
sent = [0]
def big_bodies(chunked):
    while not stop.is_set():
        try:
            s = socket.create_connection((host, port), timeout=5)
            if chunked:
                s.sendall(b"POST /api/2.0/secrets/scopes/create HTTP/1.1\r\nHost: x\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n")
                chunk = b"x" * (1 << 20)
                for _ in range(50):
                    s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                    sent[0] += len(chunk)
                s.sendall(b"0\r\n\r\n")
            else:
                s.sendall(b"POST /api/2.0/secrets/scopes/create HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Length: 52428800\r\n\r\n")
                chunk = b"x" * (1 << 20)
                for _ in range(50):
                    s.sendall(chunk)
                    sent[0] += len(chunk)
            s.recv(100)
            s.close()
        except OSError:
            pass
threads = [threading.Thread(target=big_bodies, args=(c,), daemon=True) for c in (False, True)]
for t in threads:
    t.start()
time.sleep(0.5)
times = sorted(timed_request() for _ in range(20))
stop.set()
median, worst = times[len(times) // 2], times[-1]
print("1000 idle connections, 50 MB bodies in flight (%d MB sent): median %.1f ms, worst %.1f ms"
      % (sent[0] >> 20, median * 1000, worst * 1000))
for s in idle:
    s.close()
sys.exit(0 if worst < 0.1 else 1)
PY
ok "1,000 idle connections and 50 MB bodies do not starve a normal request (<100 ms)"

# SIGTERM with connections still open ends the process promptly.
python3 -c '
import socket, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
conns = [socket.create_connection((u.hostname, u.port)) for _ in range(50)]
for c in conns[:10]:
    c.sendall(b"POST /api/2.0/secrets/scopes/create HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nxx")
time.sleep(30)' "$EMU_URL" &
holder=$!
sleep 0.5
start=$(date +%s%N)
kill -TERM "$EMU_PID"
wait "$EMU_PID" 2>/dev/null || true
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
kill "$holder" 2>/dev/null || true
[ "$elapsed" -lt 5000 ] || fail "SIGTERM took $elapsed ms with connections open"
ok "SIGTERM ends the emulator in $elapsed ms with 50 connections open"

# --state: a symlink planted at FILE.tmp is replaced, not written through.
echo "precious" >"$WORK/target"
ln -s "$WORK/target" "$WORK/state.json.tmp"
start_emulator --state "$WORK/state.json"
api POST /api/2.0/secrets/scopes/create '{"scope":"kept"}' >/dev/null
kill -TERM "$EMU_PID"
wait "$EMU_PID" 2>/dev/null || true
[ "$(cat "$WORK/target")" = precious ] || fail "saving the state wrote through the symlink at state.json.tmp"
grep -q '"kept"' "$WORK/state.json" || fail "the state was not saved"
ok "a symlink at FILE.tmp is not followed when the state is saved"

mkfifo "$WORK/fifo"
start=$(date +%s%N)
if timeout 5 "$TFP_EMULATOR" --port 0 --token "$E2E_TOKEN" --state "$WORK/fifo" >"$WORK/fifo.out" 2>&1; then
	fail "a FIFO as --state was accepted"
fi
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 4000 ] || fail "a FIFO as --state blocked start-up ($elapsed ms)"
grep -q 'not a regular file' "$WORK/fifo.out" || fail "FIFO: $(cat "$WORK/fifo.out")"
ok "a FIFO as --state is refused at once"

done_testing
