#!/usr/bin/env python3
"""tests/server/test_server.py - `exportgate serve` over a real socket.

Starts the server on a free loopback port with a temporary store holding the
bundled lists, keys of each role; asks every endpoint and every error kind;
checks the answers against docs/openapi.yaml (every documented path answers
with its documented status and top-level fields) and a yente-shaped request
field by field; stops the server with SIGTERM while a request is in flight
and checks that request is answered and the server exits 0.

Usage: EG=BUILD/exportgate python3 tests/server/test_server.py
Needs python3 and PyYAML (Debian python3-yaml) to read the OpenAPI file."""
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import yaml

EG = os.environ.get("EG", "build/exportgate")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
checks = 0


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    global checks
    checks += 1
    if not cond:
        fail(msg)


def run(*args, env=None):
    return subprocess.run([EG, *args], capture_output=True, text=True, env=env)


servers = []


def kill_servers():
    # A failed check exits at once: no server is left running behind it.
    for p in servers:
        if p.poll() is None:
            p.kill()
            p.wait()


atexit.register(kill_servers)


class Server:
    def __init__(self, store, *args):
        # appended to (O_APPEND, shared with the server): stderr() seeks to
        # read, and a write by the server at that moment went to the start
        # of the file, over the lines before it
        open(store + ".serve.log", "w").close()
        self.log = open(store + ".serve.log", "a+")
        self.proc = subprocess.Popen([EG, "--store", store, "serve", "--listen", "127.0.0.1:0",
                                      *args], stdout=subprocess.DEVNULL, stderr=self.log)
        servers.append(self.proc)
        self.port = None
        for _ in range(200):
            self.log.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", self.log.read())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.port is None:
            self.log.seek(0)
            fail("the server did not start: " + self.log.read())

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def request(self, method, path, body=None, key=None, headers=None, ctype="application/json"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        if key:
            h["Authorization"] = "Bearer " + key
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if ctype:
                h["Content-Type"] = ctype
        try:
            c.request(method, path, body=data, headers=h)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered (413) before the whole body was sent: read the answer
        r = c.getresponse()
        raw = r.read()
        c.close()
        try:
            js = json.loads(raw) if raw else None
        except ValueError:
            js = None
        return r.status, js, raw, dict(r.getheaders())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=60)
        self.log.close()
        return rc


def expect_error(srv, status, method, path, body=None, key=None, field=None, **kw):
    st, js, raw, hdr = srv.request(method, path, body, key, **kw)
    check(st == status, f"{method} {path}: status {st}, expected {status}: {raw[:300]!r}")
    check(js is not None and isinstance(js.get("error"), dict), f"{method} {path}: not a JSON error: {raw[:200]!r}")
    e = js["error"]
    check(set(e) == {"code", "message", "field"}, f"{method} {path}: error keys {sorted(e)}")
    if field is not None:
        check(e["field"] == field, f"{method} {path}: error field {e['field']!r}, expected {field!r}")
    return js, hdr


def slow_clients(srv):
    """With one thread and --request-seconds 2: a body sent a byte at a time
    has its connection closed once 2 s have passed (logged 408), an idle
    connection is closed too, and neither holds up a request on another
    connection."""
    trickle = socket.create_connection(("127.0.0.1", srv.port))
    trickle.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100\r\n\r\n")
    idle = socket.create_connection(("127.0.0.1", srv.port))
    t0 = time.time()
    closed_after, fast = None, []
    trickle.settimeout(0.2)
    for i in range(40):
        try:
            trickle.sendall(b"{")
            chunk = trickle.recv(65536)
            if chunk == b"":
                closed_after = time.time() - t0
                break
        except socket.timeout:
            pass
        except (BrokenPipeError, ConnectionResetError):
            closed_after = time.time() - t0
            break
        if i % 3 == 0:
            c0 = time.time()
            st, _, _, _ = srv.request("GET", "/healthz")
            fast.append((st, time.time() - c0))
        time.sleep(0.2)
    trickle.close()
    check(closed_after is not None and 2 <= closed_after < 6,
          f"a body trickling past --request-seconds 2: closed after {closed_after} s")
    check(re.search(r" POST /v1/screen 408 0 [\d.]+ms \S+ \(aborted\)", srv.stderr()),
          "the access log must say 408 for the slow body")
    check(fast and all(st == 200 and dt < 1.0 for st, dt in fast), f"requests beside a slow client: {fast}")
    idle.settimeout(10)
    try:
        check(idle.recv(100) == b"", "an idle connection must be closed")
    except socket.timeout:
        fail("an idle connection was kept open past --request-seconds")
    idle.close()


def main():
    tmp = tempfile.mkdtemp(prefix="eg-server-")
    try:
        test(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"server: {checks} checks passed")


def test(tmp):
    store = os.path.join(tmp, "store.db")
    data = os.path.join(ROOT, "data")
    r = run("--store", store, "--data", data, "import", "--bundled")
    check(r.returncode == 0, "import --bundled: " + r.stderr)
    keys = {}
    for name, roles in [("admin", ["admin"]), ("screener", ["screen"]), ("decider", ["decide", "screen"]),
                        ("reviewer", ["review"]), ("gone", ["screen"])]:
        args = ["--store", store, "keys", "add", name]
        for ro in roles:
            args += ["--role", ro]
        r = run(*args)
        check(r.returncode == 0 and r.stdout.startswith("egk_"), f"keys add {name}: {r.stderr}")
        keys[name] = r.stdout.strip()
    r = run("--store", store, "keys", "add", "admin", "--role", "screen")
    check(r.returncode != 0, "a second key in force named admin must be refused")
    r = run("--store", store, "keys", "list", "--json")
    listed = json.loads(r.stdout)
    check([k["name"] for k in listed] == ["admin", "screener", "decider", "reviewer", "gone"], "keys list")
    check(all(keys[k["name"]] not in r.stdout for k in listed), "keys list must not show a key")
    with open(store, "rb") as f:
        check(keys["admin"].encode() not in f.read(), "the store must not hold a key")

    # A non-loopback address without keys is refused; --no-auth is announced.
    empty = os.path.join(tmp, "empty.db")
    r = subprocess.run([EG, "--store", empty, "serve", "--listen", "0.0.0.0:0"], capture_output=True,
                       text=True, timeout=30)
    check(r.returncode == 2 and "without a key" in r.stderr, "non-loopback without keys: " + r.stderr)
    srv = Server(empty, "--no-auth", "--threads", "1", "--request-seconds", "2")
    check("--no-auth" in srv.stderr(), "--no-auth must be announced")
    expect_error(srv, 503, "GET", "/readyz")
    st, js, _, _ = srv.request("GET", "/v1/whoami")
    check(st == 200 and js["auth"] is False, "whoami under --no-auth")
    slow_clients(srv)
    check(srv.stop() == 0, "the empty server must exit 0")

    srv = Server(store, "--web", os.path.join(ROOT, "web"))
    A, S, D, R = keys["admin"], keys["screener"], keys["decider"], keys["reviewer"]
    api = yaml.safe_load(open(os.path.join(ROOT, "docs", "openapi.yaml")))
    seen = {}

    def call(method, path, body=None, key=A, status=200, template=None):
        st, js, raw, hdr = srv.request(method, path, body, key)
        check(st == status, f"{method} {path}: {st}, expected {status}: {raw[:400]!r}")
        if template is not None:
            spec = api["paths"][template][method.lower()]["responses"][str(status)]
            ctype, media = next(iter(spec["content"].items()))
            check(hdr.get("Content-Type", "").startswith(ctype.split(";")[0]),
                  f"{template}: Content-Type {hdr.get('Content-Type')}")
            for field in media["schema"].get("required", []):
                check(js is not None and field in js, f"{method} {path}: no field {field!r} documented for {template}")
            seen[(template, method.lower())] = True
        return js, raw, hdr

    # --- every documented path, with its documented answer ----------------
    js, _, _ = call("GET", "/healthz", key=None, template="/healthz")
    js, _, _ = call("GET", "/readyz", key=None, template="/readyz")
    check(js["list_versions"] >= 8, "readyz counts the versions")
    js, _, _ = call("GET", "/v1/whoami", key=S, template="/v1/whoami")
    check(js["name"] == "screener" and js["roles"] == ["screen"], "whoami")
    js, _, hdr = call("GET", "/v1/screen?" + urllib.parse.urlencode({"name": "NSO Group", "explain": "1", "limit": "3"}),
                      key=S, template="/v1/screen")
    check(js["hits"][0]["primary_name"] == "NSO Group" and js["hits"][0]["score"] == 1.0, "NSO Group is the first hit")
    hit = js["hits"][0]
    for f in api["components"]["schemas"]["Hit"]["required"]:
        check(f in hit, f"hit field {f}")
    check(hit["explanation"][0]["query_token"] == "nso", "the explanation")
    check(hit["listed_on"] == "2021-11-04" and hit["citation"] == "86 FR 60760", "the listing's facts")
    check(len(js["consulted"]) >= 5 and isinstance(js["skipped"], list), "consulted versions")
    check(any("carries no" in w for w in js["warnings"]), "the warning of the SDN 2024 publication without aliases")
    check("Content-Security-Policy" in hdr and hdr.get("X-Content-Type-Options") == "nosniff", "security headers")
    js, _, _ = call("GET", "/v1/screen?name=NSO%20Group&as_of=2021-11-03&source=us-csl", key=S, template="/v1/screen")
    check(all(h["primary_name"] != "NSO Group" for h in js["hits"]), "NSO Group not listed on 2021-11-03")
    check(js["consulted"][0]["reconstructed"] is True, "the list on 2021-11-03 is reconstructed")
    names = ["NSO Group", "Vladimir Putin", "Nobody In Particular"] * 2
    js, _, _ = call("POST", "/v1/screen", {"names": names, "limit": 2, "explain": True}, key=S, template="/v1/screen")
    check(js["count"] == 6 and [x["query"] for x in js["results"]] == names, "batch results in order")
    deal = json.load(open(os.path.join(ROOT, "tests", "data", "deals", "il-nso-2021-11-04.json")))["deal"]
    js, _, _ = call("POST", "/v1/decide", deal, key=D, template="/v1/decide")
    check(js["decision"] == "deny", "NSO Group on 2021-11-04 is denied")
    first_index = js["audit"]["index"]
    deal2 = dict(deal, date="2021-11-03")
    js, _, _ = call("POST", "/v1/decide", deal2, key=D, template="/v1/decide")
    check(js["decision"] != "deny", "not denied before the listing")
    # a review of the first decision's hit: the same name is then not raised again
    rec, _, _ = call("GET", f"/v1/audit/{first_index}", key=R)
    uid = next(e["uid"] for r in rec["record"]["payload"]["decision"]["reasons"] for e in r["evidence"]
               if e.get("kind") == "screening") if "record" in rec else \
          next(e["uid"] for r in rec["payload"]["decision"]["reasons"] for e in r["evidence"]
               if e.get("kind") == "screening")
    expect_error(srv, 404, "POST", "/v1/reviews", {"decision": first_index, "party": 0, "entity": "nosuch",
                                                  "verdict": "false-positive"}, key=R)
    expect_error(srv, 403, "POST", "/v1/reviews", {"decision": first_index, "party": 0, "entity": uid,
                                                  "verdict": "false-positive"}, key=S)
    js, _, _ = call("POST", "/v1/reviews", {"decision": first_index, "party": 0, "entity": uid,
                                            "verdict": "false-positive", "note": "test"},
                    key=R, status=201, template="/v1/reviews")
    check(js["by"] == "reviewer" and js["verdict"] == "false-positive", "the review's author is the key")
    js, _, _ = call("POST", "/v1/decide", deal, key=D, template="/v1/decide")
    check(js["suppressed_by_review"] and js["suppressed_by_review"][0]["uid"] == uid, "the reviewed hit is suppressed")
    js, _, _ = call("GET", "/v1/lists", key=S, template="/v1/lists")
    check({s["source"] for s in js["sources"]} >= {"us-ofac-sdn", "us-csl", "un-sc"}, "sources")
    js, _, _ = call("GET", "/v1/lists/us-ofac-sdn/versions", key=S, template="/v1/lists/{source}/versions")
    check(len(js["versions"]) == 2, "two SDN versions")
    js, _, _ = call("GET", "/v1/lists/us-ofac-sdn/diff?limit=5", key=S, template="/v1/lists/{source}/diff")
    check((js["added"], js["removed"], js["changed"], js["unchanged"]) == (6870, 881, 749, 7346), "SDN diff counts")
    check(len(js["entries"]) == 5 and js["truncated"] is True and js["not_compared"], "diff entries")
    js, _, _ = call("GET", "/v1/lists/us-ofac-sdn/diff?from=2021-07-07&to=2", key=S, template="/v1/lists/{source}/diff")
    # an import through the API: the body is the published file
    sdn = open(os.path.join(ROOT, "data", "lists", "ofac_sdn_2024-05", "sdn.csv"), "rb").read()
    body = b'99999999,"ZZAPI TEST ENTRY",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' + sdn
    st, js, raw, _ = srv.request("POST", "/v1/lists/us-ofac-sdn/import?file=sdn.csv&published=2025-01-01",
                                 body, A, ctype="application/octet-stream")
    check(st == 201 and js["created"] is True and js["entities"] == 14966, f"import: {st} {raw[:300]!r}")
    seen[("/v1/lists/{source}/import", "post")] = True
    # the answer's consulted versions, warnings included, name the new one at once
    # (the server keeps that part of an answer as text until the versions change)
    js, _, _ = call("GET", "/v1/screen?name=ZZAPI%20Test%20Entry", key=S, template="/v1/screen")
    sdn_v = [c for c in js["consulted"] if c["source"] == "us-ofac-sdn"]
    check(len(sdn_v) == 1 and sdn_v[0]["published"] == "2025-01-01", f"the new version consulted: {sdn_v}")
    check(js["hits"] and js["hits"][0]["primary_name"] == "ZZAPI TEST ENTRY", "the new entry found")
    check(sum("us-ofac-sdn version" in w for w in js["warnings"]) == 1
          and any(f"us-ofac-sdn version {sdn_v[0]['version_id']} " in w for w in js["warnings"]),
          "the warning names the new version")
    st, js, raw, _ = srv.request("POST", "/v1/lists/us-ofac-sdn/import?file=sdn.csv&published=2025-01-01",
                                 body, A, ctype="application/octet-stream")
    check(st == 200 and js["created"] is False, f"the same content again: {st} {raw[:200]!r}")
    st, js, _, _ = srv.request("POST", "/v1/lists/us-ofac-sdn/import?file=sdn.csv", body, S,
                               ctype="application/octet-stream")
    check(st == 403, f"import with a screening key: {st}")
    st, js, _, _ = srv.request("POST", "/v1/lists/us-ofac-sdn/import?file=sdn.csv", body, A)
    check(st == 415, f"import as JSON: {st}")
    st, js, _, _ = srv.request("POST", "/v1/lists/us-ofac-sdn/import", body, A, ctype="application/octet-stream")
    check(st == 422 and js["error"]["field"] == "file", f"import without a file name: {st}")
    st, js, _, _ = srv.request("POST", "/v1/lists/us-ofac-sdn/import?file=sdn.csv", b"garbage\x00", A,
                               ctype="application/octet-stream")
    check(st in (400, 422), f"import of garbage: {st}")
    js, _, _ = call("GET", "/v1/lists/us-ofac-sdn/versions", key=S)
    check(len(js["versions"]) == 3, "one new SDN version, none from the refused imports")
    js, _, _ = call("GET", "/v1/countries", key=S, template="/v1/countries")
    check(any(c["name"] == "il-cyber-exempt" for c in js["country_lists"]), "country lists")
    js, _, _ = call("GET", "/v1/countries/il-cyber-exempt?as_of=2021-12-01", key=S, template="/v1/countries/{list}")
    check(js["size"] == 37 and "FR" in js["members"] and "AE" not in js["members"], "the 37 countries")
    js, _, _ = call("GET", "/v1/audit?limit=10", key=R, template="/v1/audit")
    check(js["size"] == 4 and js["records"][0]["index"] == 3, "the log's newest first")
    check(js["records"][0]["payload"]["asked_by"] == "decider", "asked_by is the key's name")
    js, _, _ = call("GET", "/v1/audit?after=0", key=R, template="/v1/audit")
    check([x["index"] for x in js["records"]] == [1, 2, 3], "records after 0")
    js, _, _ = call("GET", f"/v1/audit/{first_index}", key=R, template="/v1/audit/{index}")
    # two decisions, the review, the decision after it
    check(js["record"]["index"] == first_index and js["proof"]["tree_size"] == 4
          and len(js["proof"]["inclusion_proof"]) == 2, "record and proof")
    js, _, _ = call("GET", "/v1/audit/checkpoint", key=R, template="/v1/audit/checkpoint")
    check(js["checkpoint"].split("\n")[1] == "4" and "PUBLIC KEY" in js["public_key"], "checkpoint")
    js, _, _ = call("GET", "/v1/audit/consistency?old=1", key=R, template="/v1/audit/consistency")
    check(js["old_size"] == 1 and js["tree_size"] == 4, "consistency")
    js, _, _ = call("GET", "/v1/audit/verify", key=R, template="/v1/audit/verify")
    check(js["ok"] is True and js["records"] == 4, "verify")

    # --- yente, field by field ---------------------------------------------
    req = {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "country": ["ru"],
                                                                 "birthDate": ["1952-10-07"]}},
                       "q2": {"schema": "Organization", "properties": {"name": ["NSO Group"]}}}}
    js, _, _ = call("POST", "/match/default?limit=3", req, key=S, template="/match/{dataset}")
    check(set(js) == {"responses", "matcher", "limit"} and js["limit"] == 3, "yente top level")
    check(set(js["responses"]) == {"q1", "q2"}, "one response per query")
    q1 = js["responses"]["q1"]
    check(q1["status"] == 200 and q1["query"] == req["queries"]["q1"], "q1 status and query echoed")
    check(isinstance(q1["total"], dict) and q1["total"]["relation"] == "eq" and q1["total"]["value"] >= len(q1["results"]),
          "q1 total")
    check(1 <= len(q1["results"]) <= 3, "q1 results within limit")
    res = q1["results"][0]
    for f, t in [("id", str), ("caption", str), ("schema", str), ("properties", dict), ("datasets", list),
                 ("score", float), ("match", bool), ("features", dict), ("referents", list), ("target", bool)]:
        check(isinstance(res.get(f), t), f"yente result field {f}: {res.get(f)!r}")
    check(res["schema"] == "Person" and "PUTIN" in res["caption"].upper(), "q1 finds Putin as a Person")
    check(res["match"] is True and res["score"] >= 0.9, "q1 match")
    check(res["properties"]["name"] == [res["caption"]] and "ru" in res["properties"]["country"], "q1 properties")
    check(res["datasets"][0] in {"us-csl", "us-ofac-sdn", "us-ofac-cons", "un-sc"}, "q1 dataset")
    check(res["features"].get("country_match") == 1.0, "country as a feature")
    scores = [x["score"] for x in q1["results"]]
    check(scores == sorted(scores, reverse=True), "results best first")
    q2 = js["responses"]["q2"]["results"][0]
    check(q2["caption"] == "NSO Group" and q2["schema"] == "LegalEntity" and q2["datasets"] == ["us-csl"], "q2")
    js, _, _ = call("POST", "/match/us_csl", req, key=S)
    check(all(r["datasets"] == ["us-csl"] for q in js["responses"].values() for r in q["results"]), "dataset filter")
    expect_error(srv, 404, "POST", "/match/nosuch", req, key=S, field="dataset")
    expect_error(srv, 422, "POST", "/match/default", {"queries": {"q1": {"schema": "Cat", "properties": {"name": ["x"]}}}},
                 key=S, field="$.queries.q1.schema")
    expect_error(srv, 422, "POST", "/match/default", {"queries": {"q1": {"properties": {"country": ["ru"]}}}},
                 key=S, field="$.queries.q1.properties.name")

    # --- every documented path was asked ---------------------------------
    for p, ops in api["paths"].items():
        for m in ops:
            if p == "/metrics":
                continue
            check((p, m) in seen, f"documented {m.upper()} {p} was not checked")
    st, _, raw, hdr = srv.request("GET", "/metrics")
    text = raw.decode()
    check(st == 200 and hdr["Content-Type"].startswith("text/plain"), "metrics")
    check('exportgate_http_requests_total{endpoint="screen",status="200"}' in text, "requests by endpoint and status")
    check('exportgate_http_request_duration_seconds_bucket{endpoint="decide",status="200",le="+Inf"} 3' in text, "latency histogram")
    check('exportgate_decisions_total{outcome="deny"} 1' in text, "decisions by outcome")
    check(re.search(r"^exportgate_screenings_total \d+", text, re.M), "screenings")

    # --- the page ------------------------------------------------------------
    st, _, raw, hdr = srv.request("GET", "/")
    check(st == 200 and b"<title>exportgate</title>" in raw and hdr["Content-Type"].startswith("text/html"), "the page")
    check("script-src 'self'" in hdr["Content-Security-Policy"] and "unsafe-inline" not in hdr["Content-Security-Policy"], "CSP")
    for f in ["/app.js", "/style.css"]:
        st, _, _, _ = srv.request("GET", f)
        check(st == 200, f"GET {f}")
    expect_error(srv, 404, "GET", "/../meson.build")
    expect_error(srv, 404, "GET", "/nothing.html")

    # --- every error kind ----------------------------------------------------
    expect_error(srv, 401, "GET", "/v1/screen?name=x")
    expect_error(srv, 401, "GET", "/v1/screen?name=x", key="egk_" + "0" * 64)
    expect_error(srv, 403, "POST", "/v1/decide", deal, key=S)
    expect_error(srv, 403, "GET", "/v1/audit/verify", key=S)
    expect_error(srv, 403, "GET", "/v1/screen?name=x", key=R)
    expect_error(srv, 400, "POST", "/v1/decide", '{"date": ', key=D)
    expect_error(srv, 400, "POST", "/v1/screen", '{"names": ["a", }', key=S)
    expect_error(srv, 404, "GET", "/v1/nothing", key=S)
    expect_error(srv, 404, "GET", "/v1/lists/nosuch/versions", key=S, field="source")
    expect_error(srv, 404, "GET", "/v1/lists/nosuch/diff", key=S)
    expect_error(srv, 404, "GET", "/v1/countries/nosuch", key=S, field="list")
    expect_error(srv, 404, "GET", "/v1/audit/99", key=R, field="index")
    _, hdr = expect_error(srv, 405, "DELETE", "/v1/screen", key=S)
    check("GET" in hdr.get("Allow", "") and "POST" in hdr.get("Allow", ""), "405 names the methods")
    expect_error(srv, 405, "GET", "/v1/decide", key=D)
    expect_error(srv, 413, "POST", "/v1/screen", {"names": ["x"] * 1001}, key=S, field="$.names")
    expect_error(srv, 413, "POST", "/v1/decide", "x" * (3 * 1024 * 1024), key=D)
    expect_error(srv, 413, "GET", "/v1/screen?name=" + "a" * 2000, key=S)
    expect_error(srv, 415, "POST", "/v1/decide", deal, key=D, ctype="text/plain", field="Content-Type")
    expect_error(srv, 415, "POST", "/v1/screen", {"names": ["x"]}, key=S, ctype=None)
    expect_error(srv, 422, "GET", "/v1/screen", key=S, field="name")
    expect_error(srv, 422, "GET", "/v1/screen?name=x&as_of=2021-02-30", key=S, field="as_of")
    expect_error(srv, 422, "GET", "/v1/screen?name=x&type=cat", key=S, field="type")
    # bytes that are not UTF-8, quoted back in the message: still a JSON error, not a 500
    expect_error(srv, 422, "GET", "/v1/screen?name=x&type=%FF%FE", key=S, field="type")
    expect_error(srv, 404, "GET", "/v1/countries/%C3", key=S)
    # a path that decodes to a line end: no forged line in the access log
    expect_error(srv, 404, "GET", "/v1/countries/x%0A2026-01-01T00:00:00Z%20forged", key=S)
    expect_error(srv, 422, "GET", "/v1/screen?name=x&limit=0", key=S, field="limit")
    expect_error(srv, 422, "GET", "/v1/screen?name=x&min_score=2", key=S, field="min_score")
    expect_error(srv, 422, "GET", "/v1/screen?name=%01x", key=S, field="name")
    expect_error(srv, 422, "POST", "/v1/screen", {"names": ["x"], "colour": "red"}, key=S, field="$.colour")
    expect_error(srv, 422, "POST", "/v1/screen", {"names": ["ok", 3]}, key=S, field="$.names[1]")
    expect_error(srv, 422, "POST", "/v1/decide", dict(deal, date="2021-02-30"), key=D, field="$.date")
    expect_error(srv, 422, "POST", "/v1/decide", dict(deal, colour="red"), key=D)
    expect_error(srv, 422, "GET", "/v1/countries/il-cyber-exempt?as_of=soon", key=S, field="as_of")
    expect_error(srv, 422, "GET", "/v1/audit/consistency?old=99", key=R, field="old")
    expect_error(srv, 422, "GET", "/v1/audit/x", key=R, field="index")
    expect_error(srv, 431, "GET", "/v1/screen?name=x", key=S, headers={"X-Big": "y" * (20 * 1024)})
    # headers just under the cap (16 KiB) fit in a connection's memory
    st, _, _, _ = srv.request("GET", "/v1/screen?name=x", key=S, headers={"X-Big": "y" * 15800})
    check(st == 200, "headers of 15,800 bytes answered 200, got %d" % st)
    # the bad-input matrix (docs/robustness.md): encodings, NUL, nesting, counts, dates
    expect_error(srv, 400, "POST", "/v1/screen", b'{"names": ["M\xfcller"]}', key=S)
    expect_error(srv, 400, "POST", "/v1/screen", b'\xef\xbb\xbf{"names": ["x"]}', key=S)
    expect_error(srv, 400, "POST", "/v1/screen", '{"names": ["x"]}'.encode("utf-16"), key=S)
    expect_error(srv, 400, "POST", "/v1/screen", b'{"names": ["a\x00b"]}', key=S)
    expect_error(srv, 400, "POST", "/v1/screen", {"names": ["a\u0000b"]}, key=S)
    expect_error(srv, 422, "GET", "/v1/screen?name=a%00b", key=S, field="name")
    expect_error(srv, 400, "GET", "/v1/countries/il-cyber-exempt%00x", key=S)
    expect_error(srv, 400, "POST", "/v1/decide", "[" * 5000 + "]" * 5000, key=D)
    expect_error(srv, 413, "POST", "/match/default",
                 {"queries": {str(i): {"schema": "Person", "properties": {"name": ["x"]}}
                              for i in range(101)}}, key=S, field="$.queries")
    expect_error(srv, 422, "GET", "/v1/screen?name=x&as_of=99999-01-01", key=S, field="as_of")
    expect_error(srv, 422, "GET", "/v1/screen?name=x&as_of=0000-01-01", key=S, field="as_of")
    st, _, _, _ = srv.request("POST", "/v1/screen", b'{"names":\r\n ["x"]}\r\n', key=S)
    check(st == 200, f"a body with CRLF line ends: {st}")
    # Bad requests changed nothing: still the four records.
    js, _, _ = call("GET", "/v1/audit", key=R)
    check(js["size"] == 4, "failed requests must not reach the log")
    # 429: more connections from one address than its cap.
    socks = []
    try:
        for _ in range(130):
            s = socket.create_connection(("127.0.0.1", srv.port))
            socks.append(s)
        time.sleep(0.3)
        s = socks[-1]
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        s.settimeout(10)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        check(got.startswith(b"HTTP/1.1 429") and b'"too_many_connections"' in got, "429: " + got[:200].decode(errors="replace"))
    finally:
        for s in socks:
            s.close()
    time.sleep(0.3)
    # A revoked key stops working (the server trusts a check for 1 s).
    st, _, _, _ = srv.request("GET", "/v1/whoami", key=keys["gone"])
    check(st == 200, "the key before revocation")
    r = run("--store", store, "keys", "revoke", "gone")
    check(r.returncode == 0, "keys revoke")
    time.sleep(1.2)
    expect_error(srv, 401, "GET", "/v1/whoami", key=keys["gone"])

    # The access log: one line per request, no key, no query, no body.
    log = srv.stderr()
    for k in keys.values():
        check(k not in log, "a key in the access log")
    check("NSO" not in log and "Putin" not in log, "a screened name in the access log")
    check(not re.search(r"^2026-01-01T00:00:00Z", log, re.M) and "/v1/countries/x%0A2026" in log,
          "a path decoding to a line end forged an access-log line")
    check("/v1/countries/%C3 404" in log, "a path that is not UTF-8 not escaped in the access log")
    check(re.search(r" GET /v1/screen 200 \d+ [\d.]+ms screener", log), "an access-log line")

    # SIGTERM with a request in flight: it is answered, then exit 0.
    result = {}

    def slow():
        result["r"] = srv.request("POST", "/v1/screen", {"names": [f"Person Number {i} Trading" for i in range(1000)]}, key=S)
    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    rc = srv.stop()
    t.join(60)
    check("r" in result and result["r"][0] == 200 and result["r"][1]["count"] == 1000,
          "the request in flight at SIGTERM must be answered")
    check(rc == 0, f"serve exited {rc} after SIGTERM")

    work_pool(store, S)


def work_pool(store, key):
    """A long request runs on the work pool: with one libmicrohttpd thread,
    /healthz is answered while a batch of 1,000 names is being screened;
    with the pool off (--work-threads 0) it waits for the batch."""
    names = {"names": [f"Mohammad Hamdi Sadiq Al-Ahdal Abdel Halim {i}" for i in range(1000)]}
    for work, beside in (("2", True), ("0", False)):
        srv = Server(store, "--threads", "1", "--work-threads", work)
        done = {}

        def batch():
            done["r"] = srv.request("POST", "/v1/screen", names, key=key)
        t = threading.Thread(target=batch)
        t.start()
        time.sleep(0.05)
        st, _, _, _ = srv.request("GET", "/healthz")
        t.join(120)
        check(st == 200 and "r" in done and done["r"][0] == 200, f"--work-threads {work}: answers")
        # the access log's order is the order the server finished them in
        # (a line is written just after its answer is sent: wait for both)
        for _ in range(100):
            order = re.findall(r" (GET /healthz|POST /v1/screen) 200 ", srv.stderr())
            if len(order) >= 2:
                break
            time.sleep(0.05)
        if beside:
            check(order == ["GET /healthz", "POST /v1/screen"],
                  f"/healthz must be answered while the work pool screens a batch: {order}")
        else:
            check(order == ["POST /v1/screen", "GET /healthz"], "without the work pool, /healthz "
                  f"waits for the batch (else this test does not show the pool): {order}")
        check("work threads" in srv.stderr() and srv.stop() == 0, f"--work-threads {work}: stop")


if __name__ == "__main__":
    main()
