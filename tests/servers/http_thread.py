"""A stdlib HTTP server serving from a thread, for the fake shops (real HTTP, no framework)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(
    handler: type[BaseHTTPRequestHandler], host: str, port: int
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Listen on ``host:port`` (0: a free port — read ``server.server_address``) and serve."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, thread


def shut(server: ThreadingHTTPServer | None, thread: threading.Thread | None) -> None:
    """Stop serving and free the port (either may already be gone)."""
    if server is not None:
        server.shutdown()
        server.server_close()
    if thread is not None:
        thread.join(timeout=5)
