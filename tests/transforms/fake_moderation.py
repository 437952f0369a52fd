"""A local stand-in for the OpenAI Moderation API on 127.0.0.1, for tests.

It answers POST /v1/moderations with the real response shape (`id`, `model`, `results` with
`flagged`, `categories`, `category_scores`, `category_applied_input_types`). What it flags is
decided by marker words, so tests know the truth: "VIOLENT" -> violence, "HATEFUL" -> hate,
"MINORS" -> sexual/minors. A schedule makes the first requests fail: "429" (with Retry-After),
"500", "slow" (answers after `slow_seconds`, longer than the client's timeout). Every request
is recorded (status and inputs) so tests can check that nothing is sent twice.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from transforms.toxicity.openai_moderation import API_CATEGORIES

MARKERS = {"VIOLENT": "violence", "HATEFUL": "hate", "MINORS": "sexual/minors"}


def moderate(text: str) -> dict:
    flagged = {cat for word, cat in MARKERS.items() if word in text}
    return {
        "flagged": bool(flagged),
        "categories": {c: c in flagged for c in API_CATEGORIES},
        "category_scores": {c: (0.93 if c in flagged else 0.0004) for c in API_CATEGORIES},
        "category_applied_input_types": {c: ["text"] for c in API_CATEGORIES},
    }


class FakeModeration:
    def __init__(self, schedule=(), slow_seconds=1.0, key="sk-test-fake-key-not-real"):
        self.schedule = list(schedule)
        self.slow_seconds = slow_seconds
        self.key = key
        self.requests = []  # (status, inputs)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake._lock:
                    step = fake.schedule.pop(0) if fake.schedule else "ok"
                if self.headers.get("Authorization") != f"Bearer {fake.key}":
                    step = "401"
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                status = {"429": 429, "500": 500, "401": 401}.get(step, 200)
                with fake._lock:
                    fake.requests.append((status if step != "slow" else "slow", list(inputs)))
                if step == "slow":
                    time.sleep(fake.slow_seconds)
                if status != 200:
                    payload = json.dumps({"error": {"message": step, "type": "fake"}}).encode()
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "0")
                else:
                    payload = json.dumps({"id": "modr-fake", "model": body.get("model"),
                                          "results": [moderate(t) for t in inputs]}).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1/moderations"

    def answered_inputs(self):
        """Every input the server answered with 200 in time, in order."""
        return [t for status, inputs in self.requests if status == 200 for t in inputs]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
