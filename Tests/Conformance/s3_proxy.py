"""A small HTTP proxy between TBKit and the S3 server, for the object-storage tests: it forwards
each request unchanged (the Host header too, so SigV4 signatures stay valid), counts the request
body bytes it forwards, and for a share of requests injects a fault instead: a 503 SlowDown
answer, or a connection dropped without an answer."""
import http.client
import random
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SLOW_DOWN = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
             b'<Message>Please reduce your request rate.</Message></Error>')


class FaultProxy:
    def __init__(self, upstream: str, slow_down=0.0, drop=0.0, seed=1, hook=None):
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port or 80)
        self.slow_down, self.drop = slow_down, drop
        self.random = random.Random(seed)
        # hook(method, path, headers) runs before each request is handled; "drop" drops it.
        self.hook = hook
        self.lock = threading.Lock()
        self.counts = {"requests": 0, "forwarded": 0, "slow_down": 0, "dropped": 0, "body_bytes_forwarded": 0,
                       "put_body_bytes": 0}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy.lock:
                    proxy.counts["requests"] += 1
                    roll = proxy.random.random()
                if proxy.hook and proxy.hook(self.command, self.path, self.headers) == "drop":
                    roll = -1.0
                if roll < proxy.drop:
                    with proxy.lock:
                        proxy.counts["dropped"] += 1
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                if roll < proxy.drop + proxy.slow_down:
                    with proxy.lock:
                        proxy.counts["slow_down"] += 1
                    self.send_response(503)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(SLOW_DOWN)))
                    self.end_headers()
                    self.wfile.write(SLOW_DOWN)
                    return
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    if name.lower() not in ("connection", "keep-alive", "proxy-connection"):
                        conn.putheader(name, value)
                conn.endheaders(body if body else None)
                response = conn.getresponse()
                data = response.read()
                with proxy.lock:
                    proxy.counts["forwarded"] += 1
                    proxy.counts["body_bytes_forwarded"] += len(body)
                    if self.command in ("PUT", "POST"):
                        proxy.counts["put_body_bytes"] += len(body)
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                # A HEAD answer keeps the object's length; every other answer carries its body.
                length = response.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data))
                self.send_header("Content-Length", length)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
