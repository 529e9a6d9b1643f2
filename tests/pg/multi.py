#!/usr/bin/env python3
"""multi.py - three `exportgate serve` processes on one PostgreSQL (issue 14
item 6): a load of screens and decisions against all three, a list import
(a changed SDN) in the middle of it, and a batch worker killed mid-chunk
meanwhile. Asserts: no request fails; every server answers from the new
version (its /readyz, within 5 s of the import, and the first screen after
/readyz names it answered from it); the decision log's append lock is never held by a session waiting for
its client; the decision log verifies afterwards and holds exactly the decisions
answered (none lost); the killed worker's chunk is screened once, by
another worker, and every party has exactly one result.

Needs EG (the binary) and EG_TEST_PG_URI (tests/pg/run.sh sets it):
  tests/pg/run.sh env EG=$PWD/build/exportgate python3 tests/pg/multi.py
Prints "ok" last on success."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

EG = os.environ["EG"]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BASE_URI = os.environ["EG_TEST_PG_URI"]
DB = "eg_multi_%d" % os.getpid()
TMP = tempfile.mkdtemp(prefix="eg-multi-")
procs = []


# The bound: every server answers from a new version within 5 s of
# its import. A server names a version only once its index is built; under
# AddressSanitizer that build is ten times slower (25 s measured on a loaded
# machine), so a sanitized build is held to 60 s: the 5 s is the optimised
# build's.
with open(EG, "rb") as _f:
    SANITIZED = b"__asan_init" in _f.read()
SWITCH_BOUND = 60.0 if SANITIZED else 5.0


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def db_uri(db):
    base, _, query = BASE_URI.partition("?")
    return base.rsplit("/", 1)[0] + "/" + db + ("?" + query if query else "")


PG = db_uri(DB)


def psql(sql, uri=PG):
    r = subprocess.run(["psql", uri, "-Atqc", sql], capture_output=True, text=True)
    if r.returncode != 0:
        fail("psql: %s: %s" % (sql, r.stderr.strip()))
    return r.stdout.strip()


def eg(*args, check=True):
    r = subprocess.run([EG, "--store", PG] + list(args), capture_output=True, text=True,
                       cwd=ROOT, env=ENV)
    if check and r.returncode != 0:
        fail("exportgate %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    return r


def http(port, method, path, body=None, timeout=30):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=body,
                                 method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.terminate()  # a server finishes its requests and exits
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    subprocess.run(["psql", BASE_URI, "-qc", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB],
                   capture_output=True)
    shutil.rmtree(TMP, ignore_errors=True)


ENV = dict(os.environ, EXPORTGATE_AUDIT_KEY=os.path.join(TMP, "audit.key"))


def main():
    psql("CREATE DATABASE %s" % DB, BASE_URI)
    eg("store", "migrate")
    eg("import", "--bundled")
    eg("audit", "checkpoint")  # the signing key, made once before the servers share it

    # Three servers on the one database.
    ports = []
    for k in range(3):
        err = open(os.path.join(TMP, "serve%d.err" % k), "w")
        p = subprocess.Popen([EG, "--store", PG, "serve", "--listen", "127.0.0.1:0",
                              "--no-auth"], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                             stderr=err)
        procs.append(p)
    for k in range(3):
        port = None
        for _ in range(600):
            text = open(os.path.join(TMP, "serve%d.err" % k)).read()
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", text)
            if m:
                port = int(m.group(1))
                break
            if procs[k].poll() is not None:
                fail("server %d exited: %s" % (k, text))
            time.sleep(0.1)
        if port is None:
            fail("server %d did not start" % k)
        ports.append(port)
    for port in ports:
        for _ in range(600):
            try:
                if http(port, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            fail("server on %d never ready" % port)
    old = json.loads(http(ports[0], "GET", "/readyz")[1])["current"]["us-ofac-sdn"]

    # A table of parties for the batch worker killed in the middle of it.
    psql("CREATE TABLE parties (id bigint PRIMARY KEY, name text);"
         "INSERT INTO parties SELECT i, CASE WHEN i % 50 = 0 THEN 'Nicolas Maduro Moros'"
         " ELSE 'Trading ' || substr(md5(i::text), 1, 8) END FROM generate_series(1, 600) i")
    run = re.search(r"batch run (\d+):", eg("batch", "enqueue", "--chunk", "50").stdout).group(1)

    # The load: screens and decisions, round robin over the three servers.
    deals = [open(os.path.join(ROOT, "docs/examples", d), "rb").read()
             for d in ("deal-nso-2021-11-04.json", "deal-il-de-2021-12-01.json")]
    names = ["Nicolas+Maduro+Moros", "Banco+Nacional+de+Cuba", "Zzyzx+Quorblat+Trading",
             "Kim+Jong+Un"]
    stop = threading.Event()
    lock = threading.Lock()
    stats = {"screen": 0, "decide": 0, "failed": []}

    def load(t):
        i = t
        while not stop.is_set():
            port = ports[i % 3]
            try:
                if i % 3 == 2:
                    status, body = http(port, "POST", "/v1/decide", deals[i % 2])
                    kind = "decide"
                else:
                    status, body = http(port, "GET", "/v1/screen?name=" + names[i % 4])
                    kind = "screen"
            except OSError as e:
                status, body, kind = 0, str(e).encode(), "error"
            with lock:
                if status == 200:
                    stats[kind] += 1
                else:
                    stats["failed"].append((port, kind, status, body[:200]))
            i += 1

    # While the load runs: the decision log's append lock (the advisory
    # lock of src/audit/log_pg.c) is never held by a session that waits for
    # its client ("idle in transaction"): an append runs in the server in
    # one round trip, so a server descheduled, slow or stopped never holds
    # the other servers' appends.
    lock_samples = {"n": 0, "idle": 0}

    def sample_lock():
        # Sampled in the server, every 2 ms for 8 s (pg_stat_activity read
        # afresh each time): a psql per sample would see too few.
        r = subprocess.run(["psql", PG, "-Atqc", """
            DO $$ DECLARE n integer := 0; idle integer := 0; c integer;
                          t timestamptz := clock_timestamp(); BEGIN
              WHILE clock_timestamp() < t + interval '8 seconds' LOOP
                PERFORM pg_stat_clear_snapshot();
                SELECT count(*) INTO c FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND l.objid = 1162297685
                 AND a.state LIKE 'idle in transaction%';
                n := n + 1; idle := idle + c;
                PERFORM pg_sleep(0.002);
              END LOOP;
              RAISE NOTICE 'lock samples % idle %', n, idle;
            END $$"""], capture_output=True, text=True)
        m = re.search(r"lock samples (\d+) idle (\d+)", r.stderr)
        if m is None:
            lock_samples["n"] = -1
            lock_samples["err"] = r.stderr.strip()
        else:
            lock_samples["n"], lock_samples["idle"] = int(m.group(1)), int(m.group(2))

    # daemons: a failure (sys.exit) must not wait on them
    threads = [threading.Thread(target=load, args=(t,), daemon=True) for t in range(6)]
    threads.append(threading.Thread(target=sample_lock, daemon=True))
    for th in threads:
        th.start()
    time.sleep(2)

    # The import of a changed SDN in the middle of the load.
    sdn = os.path.join(TMP, "sdn")
    os.mkdir(sdn)
    with open(os.path.join(ROOT, "data/lists/ofac_sdn_2024-05/sdn.csv"), encoding="latin-1") as f:
        text = f.read()
    with open(os.path.join(sdn, "sdn.csv"), "w", encoding="latin-1") as f:
        f.write(text.replace("MADURO MOROS", "MADURO MOROZ", 1))
    out = eg("import", "--source", "us-ofac-sdn", "--published", "2026-06-01", sdn).stdout
    t_import = time.monotonic()
    new = int(re.search(r"us-ofac-sdn imported: version (\d+),", out).group(1))
    if new == old:
        fail("the import made no new version")
    switched = {}
    screened = {}
    while len(screened) < 3 and time.monotonic() - t_import < 60:
        for port in ports:
            if port not in switched:
                cur = json.loads(http(port, "GET", "/readyz")[1])["current"]["us-ofac-sdn"]
                if cur == new:
                    switched[port] = time.monotonic() - t_import
            if port in switched and port not in screened:
                # The first screen after /readyz named the new version is
                # answered from it: the server names a version only once
                # its index is loaded (built in the background).
                hits = json.loads(http(port, "GET", "/v1/screen?name=Nicolas+Maduro+Moros")[1])
                # the SDN's listing, a hit or (the CSL repeats it) another
                # listing of the CSL's hit
                listings = [x for h in hits.get("hits", []) for x in [h] + h.get("also_in", [])]
                if not any(x.get("version_id") == new and x.get("primary_name") ==
                           "MADURO MOROZ, Nicolas" for x in listings):
                    fail("server on %d named version %d in /readyz, then screened from "
                         "another: %r" % (port, new, hits.get("hits", [])[:2]))
                screened[port] = time.monotonic() - t_import
        time.sleep(0.02)
    for port in ports:
        if port not in switched:
            fail("server on %d never named version %d in /readyz" % (port, new))
        if switched[port] > SWITCH_BOUND:
            fail("server on %d named the new version %.2f s after the import (over %g s)"
                 % (port, switched[port], SWITCH_BOUND))
        if port not in screened:
            fail("server on %d never screened against version %d" % (port, new))
    print("new version in /readyz after %s s; first screen from it after %s s" % (
        ", ".join("%.3f" % switched[p] for p in ports),
        ", ".join("%.2f" % screened[p] for p in ports)))

    # A batch worker killed mid-chunk while the load goes on: it screens
    # a chunk and is held as it writes the results (a lock this test takes
    # on batch_result), then SIGKILL; another worker finishes the run.
    locker = subprocess.Popen(["psql", PG, "-qc", "BEGIN; LOCK TABLE batch_result IN ACCESS "
                               "EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(locker)
    for _ in range(200):
        if psql("SELECT count(*) FROM pg_locks WHERE relation = 'batch_result'::regclass"
                " AND granted") != "0":
            break
        time.sleep(0.05)
    victim = subprocess.Popen([EG, "--store", PG, "batch", "work", "--run", run, "--threads",
                               "1", "--worker", "victim"], cwd=ROOT, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(victim)
    pid = ""
    for _ in range(600):
        pid = psql("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                   " AND query LIKE 'INSERT INTO batch_result%'")
        if pid or victim.poll() is not None:
            break
        time.sleep(0.05)
    if not pid:
        fail("the batch worker never reached its results")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    psql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE"
         " '%%pg_sleep(120)%%' AND pid <> pg_backend_pid()")
    locker.wait()
    for _ in range(200):
        if not psql("SELECT pid FROM pg_stat_activity WHERE pid = %s" % pid):
            break
        time.sleep(0.05)
    if psql("SELECT count(*) FROM batch_result WHERE run_id = %s" % run) != "0":
        fail("the killed worker left results")
    eg("batch", "work", "--run", run, "--threads", "2", "--worker", "after")

    time.sleep(1)
    stop.set()
    for th in threads:
        th.join()

    if stats["failed"]:
        fail("%d requests failed, first: %r" % (len(stats["failed"]), stats["failed"][:3]))
    if stats["decide"] == 0 or stats["screen"] == 0:
        fail("no load ran: %r" % stats)
    if lock_samples["n"] <= 0:
        fail("the append lock was not sampled: %s" % lock_samples.get("err", ""))
    if lock_samples["idle"]:
        fail("the append lock was held by a session waiting for its client in %d of %d "
             "samples" % (lock_samples["idle"], lock_samples["n"]))
    if psql("SELECT count(*) || ' ' || count(DISTINCT party_id) FROM batch_result"
            " WHERE run_id = %s" % run) != "600 600":
        fail("the batch run does not hold one result per party")
    if psql("SELECT count(*) FROM batch_chunk WHERE run_id = %s AND (state <> 'done'"
            " OR claimed_by NOT LIKE 'after/%%')" % run) != "0":
        fail("a chunk not done, or done by the killed worker")
    v = eg("audit", "verify")
    report = json.loads(v.stdout)
    if not report.get("ok"):
        fail("audit verify: %s" % v.stdout)
    if report.get("records") != stats["decide"]:
        fail("the log holds %s records, %d decisions were answered"
             % (report.get("records"), stats["decide"]))
    print("%d screens and %d decisions over 3 servers, none failed; the log verifies with "
          "%d records; the append lock never held by an idle session (%d samples)"
          % (stats["screen"], stats["decide"], report["records"], lock_samples["n"]))
    print("ok")


if __name__ == "__main__":
    try:
        main()
    finally:
        cleanup()
