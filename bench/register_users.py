#!/usr/bin/env python3
"""Registers N users on a Haven node in parallel and prints one access token
per line (bench/run-auth-me). Standard library only."""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def register(base, i, run):
    body = json.dumps({"email": f"bench-{run}-{i}@example.org",
                       "password": "correct horse battery"}).encode()
    req = urllib.request.Request(base + "/v1/auth/register", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["access_token"]


def main():
    base, n = sys.argv[1], int(sys.argv[2])
    parallel = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    import os
    run = os.getpid()
    with ThreadPoolExecutor(parallel) as pool:
        for token in pool.map(lambda i: register(base, i, run), range(n)):
            print(token)


if __name__ == "__main__":
    main()
