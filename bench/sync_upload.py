#!/usr/bin/env python3
"""Sync upload load (bench/run-sync-upload): U users upload concurrently, each
on its own keep-alive connection, UPLOADS uploads of OPS ops each (every op a
new entity, so every op applies). Bodies are built before the clock starts.
Prints one JSON line: uploads, ops applied, seconds, ops/s, p50/p99 upload ms.
Standard library only. Usage: sync_upload.py HOST PORT TOKENS_FILE UPLOADS [OPS]"""
import http.client
import json
import sys
import threading
import time
import uuid


def bodies(n, ops):
    out = []
    for _ in range(n):
        items = [{"op_id": str(uuid.uuid4()), "entity": "journal_entry",
                  "entity_id": str(uuid.uuid4()), "kind": "upsert", "base_version": 0,
                  "payload": {"title": "bench", "body": "x" * 200, "mood": 5},
                  "client_ts": "2026-05-01T10:00:00Z"} for _ in range(ops)]
        out.append(json.dumps({"device_id": "bench", "ops": items}).encode())
    return out


def main():
    host, port, tokens_file, uploads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    ops = int(sys.argv[5]) if len(sys.argv) > 5 else 500
    tokens = [t.strip() for t in open(tokens_file) if t.strip()]
    work = [bodies(uploads, ops) for _ in tokens]
    latencies, applied, errors = [], [0], [0]
    lock = threading.Lock()

    def run(token, items):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
        for body in items:
            t0 = time.perf_counter()
            conn.request("POST", "/v1/sync/upload", body, headers)
            r = conn.getresponse()
            data = r.read()
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if r.status != 200:
                    errors[0] += 1
                    continue
                applied[0] += sum(1 for x in json.loads(data)["results"] if x["status"] == "applied")

    threads = [threading.Thread(target=run, args=(t, w)) for t, w in zip(tokens, work)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.perf_counter() - start
    latencies.sort()
    pct = lambda p: round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)
    print(json.dumps({"users": len(tokens), "uploads": len(latencies), "errors": errors[0],
                      "ops_applied": applied[0], "seconds": round(secs, 2),
                      "ops_per_s": round(applied[0] / secs), "p50_ms": pct(0.5),
                      "p99_ms": pct(0.99)}))


if __name__ == "__main__":
    main()
