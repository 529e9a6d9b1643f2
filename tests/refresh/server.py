#!/usr/bin/env python3
"""A local HTTP server for the refresh tests (tests/cli/refresh.sh).

Serves ROOT/SCENARIO/SOURCE/FILE at /SCENARIO/SOURCE/FILE. What it does
depends on the scenario, the first part of the path:
  500        answers 500
  loop       redirects to itself, for ever
  stall      announces the file of ok/, sends 100 bytes, then nothing
  truncated  announces the file of ok/, sends half of it and closes
  bigstream  streams bytes without a length, until the client gives up
  noetag     the file of ok/, with neither ETag nor Last-Modified
  anything else: the file, with an ETag (its digest) and Last-Modified,
             and 304 to a matching If-None-Match.
Usage: server.py ROOT PORTFILE LOGFILE [CERT KEY]. Binds 127.0.0.1 on any
free port, writes the port to PORTFILE, and appends "METHOD PATH INM=..."
per request to LOGFILE; with CERT and KEY (PEM), speaks TLS. Runs until
killed.
"""
import email.utils
import hashlib
import http.server
import os
import ssl
import sys
import time

ROOT, PORTFILE, LOGFILE = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        inm = self.headers.get("If-None-Match", "")
        with open(LOGFILE, "a") as log:
            log.write("GET %s INM=%s\n" % (self.path, inm))
        parts = self.path.lstrip("/").split("/")
        scenario = parts[0]
        if scenario == "500":
            return self.answer(500, b"internal error\n")
        if scenario == "loop":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if scenario == "bigstream":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        if scenario in ("stall", "truncated", "noetag"):
            parts = ["ok"] + parts[1:]  # the bundled files, served badly
        path = os.path.join(ROOT, *parts)
        if ".." in parts or not os.path.isfile(path):
            return self.answer(404, b"not found\n")
        with open(path, "rb") as f:
            body = f.read()
        if scenario == "stall":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:100])
            self.wfile.flush()
            time.sleep(60)
            return
        if scenario == "truncated":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if scenario != "noetag" and inm == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        if scenario != "noetag":
            self.send_header("ETag", etag)
            self.send_header("Last-Modified",
                             email.utils.formatdate(os.path.getmtime(path), usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) == 6:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
