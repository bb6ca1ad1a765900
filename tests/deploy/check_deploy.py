#!/usr/bin/env python3
"""Checks deploy/ against the code (issue 17 item 4): Docker and Kubernetes do not
run on the build machines, so every file is parsed and compared with what the
binary really accepts.

usage: check_deploy.py SOURCE_DIR HAVEN_BINARY

- yamllint (deploy/.yamllint) on every YAML file;
- every HAVEN_* key set anywhere is declared (the keys `haven config check`
  prints), and each file's settings pass `haven config check` (exit 0);
- one HTTP port everywhere (HAVEN_HTTP_ADDR, EXPOSE, HEALTHCHECK, containerPort,
  probes, NetworkPolicy, nginx upstreams);
- probes and the image HEALTHCHECK use /ready and /health, routes the code serves;
- the drain: terminationGracePeriodSeconds > preStop sleep + HAVEN_SHUTDOWN_DEADLINE_MS,
  compose stop_grace_period and systemd TimeoutStopSec above the deadline;
- the image's ENTRYPOINT and the unit's commands are real `haven` commands;
- the image copies each data folder the families look for next to the binary;
- the NATS users of k8s/nats.yaml are those of nats-server.conf; nginx -t passes.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

SRC, BIN = sys.argv[1], sys.argv[2]
DEPLOY = os.path.join(SRC, "deploy")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
    return ok


def read(path):
    with open(os.path.join(DEPLOY, path), encoding="utf-8") as f:
        return f.read()


def run(args, env=None):
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
    env.update(extra)
    return env


# --- yamllint -----------------------------------------------------------------
yaml_files = ["docker-compose.yml"] + sorted(
    "k8s/" + f for f in os.listdir(os.path.join(DEPLOY, "k8s")) if f.endswith((".yaml", ".yml")))
lint = run(["yamllint", "-s", "-c", os.path.join(DEPLOY, ".yamllint")] +
           [os.path.join(DEPLOY, f) for f in yaml_files])
check(lint.returncode == 0, "yamllint:\n" + lint.stdout + lint.stderr)

# --- what the binary declares -------------------------------------------------
defaults = run([BIN, "config", "check"], clean_env({"HAVEN_ENV": "dev"}))
check(defaults.returncode == 0, "haven config check with defaults failed: " + defaults.stderr)
declared = {}
for line in defaults.stdout.splitlines():
    if "=" in line and line.startswith("HAVEN_"):
        k, v = line.split("=", 1)
        declared[k] = v
check(len(declared) > 30, "haven config check printed only %d keys" % len(declared))
# Read by the loader before the table (config/README.md: "How a value is chosen").
declared_or_file = set(declared) | {"HAVEN_CONFIG_FILE"}
usage = run([BIN, "no-such-command"]).stderr + run([BIN, "no-such-command"]).stdout
commands = re.search(r"usage: haven \[(.*)\]", usage)
check(commands is not None, "haven printed no usage line: " + usage)
commands = {c.strip().split(" DIR")[0] for c in commands.group(1).split("|")} if commands else set()
check({"serve", "migrate", "version"} <= commands, "haven commands: %s" % commands)
DEADLINE_DEFAULT = int(declared.get("HAVEN_SHUTDOWN_DEADLINE_MS", "10000"))


def haven_command(argv, where):
    check(os.path.basename(argv[0]) == "haven", "%s: runs %s, not haven" % (where, argv[0]))
    check(" ".join(argv[1:]) in commands, "%s: `%s` is not a haven command (%s)" %
          (where, " ".join(argv[1:]), sorted(commands)))


def route_served(path):
    pattern = '"%s"' % path
    for d in ("io", "app", "actors"):
        for root, _, files in os.walk(os.path.join(SRC, d)):
            for f in files:
                if f.endswith(".cpp") and "test" not in f:
                    with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                        if pattern in fh.read():
                            return True
    return False


for p in ("/health", "/ready"):
    check(route_served(p), "no route %s in the code" % p)

# The example secrets stand in for the real files when settings are validated.
SECRETS = os.path.join(DEPLOY, "secrets.example")


def config_check(env, where):
    """Every key declared, and the whole set accepted by the binary."""
    for k in env:
        if k.startswith("HAVEN_"):
            check(k in declared_or_file, "%s: %s is not a declared setting" % (where, k))
    env = dict(env)
    if "HAVEN_CONFIG_FILE" in env:
        env["HAVEN_CONFIG_FILE"] = os.path.join(SECRETS, "haven.env")
    with tempfile.TemporaryDirectory() as keys:
        if "HAVEN_JWT_KEY_DIR" in env:
            env["HAVEN_JWT_KEY_DIR"] = keys
        r = run([BIN, "config", "check"], clean_env(env))
    check(r.returncode == 0, "%s: haven config check refused the settings: %s" % (where, r.stderr))
    return r.stdout


def deadline_of(env):
    return int(env.get("HAVEN_SHUTDOWN_DEADLINE_MS", DEADLINE_DEFAULT))


def http_port(env):
    addr = env.get("HAVEN_HTTP_ADDR", declared.get("HAVEN_HTTP_ADDR", "0.0.0.0:8080"))
    return int(addr.rsplit(":", 1)[1])


# --- Dockerfile ---------------------------------------------------------------
docker = read("Dockerfile")
instructions = []
for line in re.sub(r"\\\n", " ", docker).splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        word, _, rest = line.partition(" ")
        instructions.append((word.upper(), rest.strip()))
froms = [r for w, r in instructions if w == "FROM"]
check(len(froms) >= 2, "Dockerfile: not multi-stage")
check(all(f.startswith("debian:12") for f in froms), "Dockerfile: not debian:12 stages: %s" % froms)
users = [r for w, r in instructions if w == "USER"]
check(users and users[-1] not in ("root", "0", "0:0"), "Dockerfile: runs as root")
image_env = {}
for w, r in instructions:
    if w == "ENV":
        for part in shlex.split(r):
            k, _, v = part.partition("=")
            image_env[k] = v
config_check(dict(image_env, HAVEN_DATA_KEY="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
             "Dockerfile ENV")
entry = [r for w, r in instructions if w == "ENTRYPOINT"]
check(len(entry) == 1, "Dockerfile: one ENTRYPOINT")
entry_argv = yaml.safe_load(entry[0]) if entry else []
check(isinstance(entry_argv, list), "Dockerfile: ENTRYPOINT not in exec form")
cmd = [yaml.safe_load(r) for w, r in instructions if w == "CMD"]
argv = entry_argv + (cmd[-1] if cmd else [])
haven_command(argv, "Dockerfile ENTRYPOINT")
check(argv[1:] == ["serve"], "Dockerfile: the image does not run `haven serve`: %s" % argv)
binary_dir = os.path.dirname(argv[0])
exposed = [int(p.split("/")[0]) for w, r in instructions if w == "EXPOSE" for p in r.split()]
check(exposed == [http_port(image_env)], "Dockerfile: EXPOSE %s vs HAVEN_HTTP_ADDR" % exposed)
health = [r for w, r in instructions if w == "HEALTHCHECK"]
check(len(health) == 1 and re.search(r"http://127\.0\.0\.1:%d/health\b" % http_port(image_env),
                                      health[0] if health else ""),
      "Dockerfile: HEALTHCHECK not on /health at the HTTP port: %s" % health)
copies = {}
for w, r in instructions:
    if w == "COPY" and r.startswith("--from="):
        parts = r.split()
        src, dst = parts[1], parts[2]
        copies[dst] = src
        if src.startswith("/src/build/"):
            continue  # built in the image; checked below against cmake
        check(os.path.exists(os.path.join(SRC, src[len("/src/"):])), "Dockerfile: no %s" % src)
# The names each family's find_data_dir looks for next to the binary.
expected = {"crisis_data": "actors/crisis/data", "moderation_data": "actors/moderation/data",
            "cultural_data": "actors/cultural/data", "sessions_data": "actors/sessions/data",
            "sync_data": "actors/sync_queue/data", "crisis_model.bin": None}
finders = ""
for d in ("actors/crisis", "actors/moderation", "actors/cultural", "actors/sessions",
          "actors/sync_queue"):
    for f in os.listdir(os.path.join(SRC, d)):
        if f.endswith(".cpp"):
            with open(os.path.join(SRC, d, f), encoding="utf-8") as fh:
                finders += fh.read()
for name, src in expected.items():
    check('"%s"' % name in finders, "code no longer looks for %s next to the binary" % name)
    dst = binary_dir + "/" + name
    check(dst in copies, "Dockerfile: %s is not copied next to the binary" % dst)
    if src and dst in copies:
        check(copies[dst] == "/src/" + src, "Dockerfile: %s comes from %s" % (dst, copies[dst]))
with open(os.path.join(SRC, "cmake", "HavenDeps.cmake"), encoding="utf-8") as fh:
    model = re.search(r"HAVEN_CRISIS_MODEL_FILE \$\{CMAKE_BINARY_DIR\}/(\S+)\)", fh.read())
check(model and copies.get(binary_dir + "/crisis_model.bin") == "/src/build/" + model.group(1),
      "Dockerfile: the crisis model is not the one cmake builds")
check(copies.get(binary_dir + "/haven") == "/src/build/app/haven", "Dockerfile: binary path")

# --- docker-compose.yml --------------------------------------------------------
compose = yaml.safe_load(read("docker-compose.yml"))
services = compose["services"]
nodes = [n for n in services if n.startswith("haven")]
check(len(nodes) == 3, "compose: %d nodes" % len(nodes))
nats = [n for n in services if n.startswith("nats")]
check(len(nats) == 3, "compose: %d nats servers" % len(nats))
for s in ("lb", "postgres", "redis"):
    check(s in services, "compose: no %s" % s)
lb_ip = services["lb"]["networks"]["haven"]["ipv4_address"]
secret_files = {name: s["file"] for name, s in compose.get("secrets", {}).items()}
for name, f in secret_files.items():
    check(f.startswith("./secrets/") and
          os.path.exists(os.path.join(SECRETS, f[len("./secrets/"):])),
          "compose: secret %s has no example in secrets.example/" % name)
for n in nodes:
    svc = services[n]
    env = {k: str(v) for k, v in svc["environment"].items()}
    out = config_check(env, "compose " + n)
    check("HAVEN_DATA_KEY=(unset)" not in out, "compose %s: no HAVEN_DATA_KEY" % n)
    check(lb_ip in env.get("HAVEN_TRUSTED_PROXIES", "").split(",") or
          any(lb_ip.startswith(p.split("/")[0].rsplit(".", 1)[0])
              for p in env.get("HAVEN_TRUSTED_PROXIES", "").split(",") if p),
          "compose %s: the load balancer %s is not a trusted proxy" % (n, lb_ip))
    check(env.get("HAVEN_NODE_ID") == n, "compose %s: HAVEN_NODE_ID" % n)
    check(env.get("HAVEN_CONFIG_FILE", "").startswith("/run/secrets/") and
          env["HAVEN_CONFIG_FILE"][len("/run/secrets/"):] in svc.get("secrets", []),
          "compose %s: secrets do not come from a file" % n)
    for k in ("HAVEN_DATA_KEY", "HAVEN_PG_URL", "HAVEN_NATS_URL"):
        check(k not in env, "compose %s: %s inline instead of from the secret file" % (n, k))
    grace = svc.get("stop_grace_period", "10s")
    check(int(grace.rstrip("s")) * 1000 > deadline_of(env),
          "compose %s: stop_grace_period %s not above the drain deadline" % (n, grace))
check("POSTGRES_PASSWORD_FILE" in services["postgres"]["environment"] and
      "POSTGRES_PASSWORD" not in services["postgres"]["environment"],
      "compose: PostgreSQL password not from a file")
nats_conf = read("nats-server.conf")
nats_vars = set(re.findall(r"password: \$([A-Z_]+)", nats_conf))
with open(os.path.join(SECRETS, "nats.env"), encoding="utf-8") as fh:
    nats_env = {l.split("=", 1)[0] for l in fh if "=" in l and not l.startswith("#")}
check(nats_vars <= nats_env, "secrets.example/nats.env lacks %s" % (nats_vars - nats_env))
for n in nats:
    check("-js" in services[n]["command"] or "jetstream" in nats_conf,
          "compose %s: no JetStream" % n)
    check(services[n].get("env_file") == ["./secrets/nats.env"], "compose %s: env_file" % n)
with open(os.path.join(SECRETS, "haven.env"), encoding="utf-8") as fh:
    secret_env = dict(l.strip().split("=", 1) for l in fh if "=" in l and not l.startswith("#"))
pw = re.search(r"haven:([^@]+)@", secret_env["HAVEN_NATS_URL"]).group(1)
check(pw == dict(l.strip().split("=", 1) for l in open(os.path.join(SECRETS, "nats.env"))
                 if "=" in l and not l.startswith("#"))["HAVEN_NATS_PASSWORD"],
      "secrets.example: the nodes' NATS password differs from nats.env")
with open(os.path.join(SECRETS, "pg_password"), encoding="utf-8") as fh:
    check(":%s@" % fh.read().strip() in secret_env["HAVEN_PG_URL"],
          "secrets.example: HAVEN_PG_URL does not use pg_password")

# --- nginx ----------------------------------------------------------------------
nginx = read("nginx-lb.conf")
upstreams = re.findall(r"server (haven\d):(\d+)", nginx)
check(sorted(u for u, _ in upstreams) == sorted(nodes), "nginx: upstreams %s" % upstreams)
for _, port in upstreams:
    check(int(port) == 8080, "nginx: upstream port %s" % port)
check(str(services["lb"]["ports"][0]).endswith(":8080"), "compose lb port")
if shutil.which("nginx"):
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as fh:
            fh.write("pid %s/nginx.pid;\nerror_log %s/error.log;\n" % (tmp, tmp) +
                     re.sub(r"server haven\d:", "server 127.0.0.1:", nginx)
                     .replace("http {", "http {\n  access_log off;\n  client_body_temp_path %s;\n"
                              "  proxy_temp_path %s;\n" % (tmp, tmp), 1))
        r = run(["nginx", "-t", "-p", tmp, "-c", conf])
        check(r.returncode == 0, "nginx -t: " + r.stderr)

# --- Kubernetes ----------------------------------------------------------------
docs = []
for f in yaml_files:
    if f.startswith("k8s/"):
        docs += [d for d in yaml.safe_load_all(read(f)) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
             "NetworkPolicy", "ConfigMap", "StatefulSet"):
    check(kind in by_kind, "k8s: no %s" % kind)
dep = [d for d in by_kind.get("Deployment", []) if d["metadata"]["name"] == "haven"][0]
pod = dep["spec"]["template"]["spec"]
labels = dep["spec"]["template"]["metadata"]["labels"]
check(dep["spec"]["selector"]["matchLabels"].items() <= labels.items(), "k8s: selector")
c = [c for c in pod["containers"] if c["name"] == "haven"][0]
env = {}
for e in c["env"]:
    env[e["name"]] = e.get("value", "haven-7d9f-abcde")  # fieldRef: a pod name
config_check(env, "k8s Deployment")
port = http_port(env)
named = {p["name"]: p["containerPort"] for p in c["ports"]}
check(list(named.values()) == [port], "k8s: containerPort %s vs HAVEN_HTTP_ADDR" % named)
check(c.get("command") is None, "k8s: command overrides the image ENTRYPOINT")
if c.get("args"):
    haven_command(["haven"] + c["args"], "k8s args")


def probe(name, path):
    p = c.get(name)
    if not check(p is not None, "k8s: no %s" % name):
        return
    g = p["httpGet"]
    check(g["path"] == path, "k8s: %s on %s, not %s" % (name, g["path"], path))
    check(named.get(g["port"], g["port"]) == port, "k8s: %s port %s" % (name, g["port"]))


probe("readinessProbe", "/ready")
probe("startupProbe", "/ready")
probe("livenessProbe", "/health")
res = c.get("resources", {})
check("cpu" in res.get("requests", {}) and "memory" in res.get("limits", {}), "k8s: resources")
pre = c.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
sleep_s = int(pre[1]) if len(pre) == 2 and pre[0] == "sleep" else None
check(sleep_s is not None, "k8s: no preStop sleep: %s" % pre)
grace = pod.get("terminationGracePeriodSeconds", 30)
check(sleep_s is not None and grace * 1000 > sleep_s * 1000 + deadline_of(env),
      "k8s: terminationGracePeriodSeconds %s not above preStop %s s + drain %s ms" %
      (grace, sleep_s, deadline_of(env)))
check(pod.get("securityContext", {}).get("runAsNonRoot") is True, "k8s: runAsNonRoot")
svc = [s for s in by_kind.get("Service", []) if s["metadata"]["name"] == "haven"][0]
check(svc["spec"]["selector"].items() <= labels.items(), "k8s Service selector")
for p in svc["spec"]["ports"]:
    check(named.get(p["targetPort"], p["targetPort"]) == port, "k8s Service targetPort")
hpa = by_kind["HorizontalPodAutoscaler"][0]["spec"]
check(hpa["scaleTargetRef"]["name"] == "haven" and hpa["scaleTargetRef"]["kind"] == "Deployment",
      "k8s HPA target")
check(hpa["minReplicas"] >= 2, "k8s HPA minReplicas")
pdb = by_kind["PodDisruptionBudget"][0]["spec"]
check(pdb["selector"]["matchLabels"].items() <= labels.items(), "k8s PDB selector")
check(0 < pdb["minAvailable"] < hpa["minReplicas"], "k8s PDB would block every drain")
netpol = [n for n in by_kind["NetworkPolicy"] if n["spec"]["podSelector"]["matchLabels"].items()
          <= labels.items()]
check(len(netpol) == 1, "k8s: no NetworkPolicy for the nodes")
if netpol:
    for rule in netpol[0]["spec"]["ingress"]:
        for p in rule["ports"]:
            check(p["port"] == port, "k8s NetworkPolicy ingress port %s" % p["port"])
    egress_ports = {p["port"] for r in netpol[0]["spec"]["egress"] for p in r.get("ports", [])}
    check({5432, 6379, 4222, 53} <= egress_ports, "k8s NetworkPolicy egress %s" % egress_ports)


def auth_block(text):
    i = text.index("authorization {")
    return [l.strip() for l in text[i:text.index("\n}", i)].splitlines()]


nats_cm = [m for m in by_kind.get("ConfigMap", []) if "nats-server.conf" in m.get("data", {})]
check(len(nats_cm) == 1 and auth_block(nats_cm[0]["data"]["nats-server.conf"]) ==
      auth_block(nats_conf), "k8s: NATS users differ from deploy/nats-server.conf")
sts = by_kind["StatefulSet"][0]["spec"]
check(sts["replicas"] == 3, "k8s: NATS is not three servers")
check("jetstream" in nats_cm[0]["data"]["nats-server.conf"], "k8s: NATS without JetStream")

# --- systemd --------------------------------------------------------------------
unit = {}
for line in read("haven.service").splitlines():
    if "=" in line and not line.startswith(("#", ";", "[")):
        k, v = line.split("=", 1)
        unit.setdefault(k, []).append(v)
unit_env = dict(e.split("=", 1) for e in unit.get("Environment", []))
config_check(unit_env, "haven.service")
for k in ("ExecStart", "ExecStartPre"):
    for v in unit.get(k, []):
        haven_command(shlex.split(v), "haven.service " + k)
check(unit["ExecStart"] == ["/usr/local/bin/haven serve"], "haven.service: ExecStart")
check(int(unit["TimeoutStopSec"][0]) * 1000 > deadline_of(unit_env),
      "haven.service: TimeoutStopSec not above the drain deadline")
check(unit.get("User", ["root"])[0] != "root", "haven.service runs as root")
for k in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
          "RestrictAddressFamilies", "SystemCallFilter", "CapabilityBoundingSet"):
    check(k in unit, "haven.service: no %s" % k)
if shutil.which("systemd-analyze"):
    r = run(["systemd-analyze", "verify", os.path.join(DEPLOY, "haven.service")])
    bad = [l for l in (r.stderr + r.stdout).splitlines()
           if "Unknown key" in l or "Invalid" in l or "Failed to parse" in l]
    check(not bad, "systemd-analyze verify: %s" % bad)

if failures:
    print("deploy check: %d failure(s)" % len(failures))
    for f in failures:
        print(" -", f)
    sys.exit(1)
print("deploy check: %d YAML files, compose, Dockerfile, k8s, systemd, nginx: ok" % len(yaml_files))
