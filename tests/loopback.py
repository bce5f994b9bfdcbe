"""Loopback speech servers written from the APIs' documented contracts, for tests and benchmarks.

OpenAI-compatible: `POST /v1/audio/speech`, JSON {model, input, voice, response_format, speed,
[ref_audio, ref_text, instructions]}; the answer's body is the audio (audio/wav); errors are
JSON `{"error": {"message", "type"}}` with a 4xx/5xx status.
Scenema Audio: `POST /generate`, JSON {prompt, mode, seed, pace, validate, skip_vc, ...}; the
answer is `{"status": "succeeded", "audio": <base64 WAV>, "content_type": "audio/wav",
"metadata": {...}}`; failures are HTTP 500 `{"status": "failed", "error": ...}`. As the API
documents gender as male or female only, this server refuses any other gender.

Each server answers with one fixed WAV (optionally after `latency` seconds) unless a scripted
action is queued: ("status", code, message), ("garbage",), ("raw", status, content type, bytes),
("audio", bytes) (answer with these bytes as the audio), ("hang",) (hold until stop()), or
("gate", event) (hold until the event is set, then answer).
"""

from __future__ import annotations

import base64
import io
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import soundfile as sf


def tone_wav(seconds: float = 1.5, rate: int = 24000, freq: float = 220.0) -> bytes:
    """A WAV of a plain tone (speech-length; enough where the words are not checked)."""
    t = np.arange(int(seconds * rate)) / rate
    buf = io.BytesIO()
    sf.write(buf, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SpeechServer:
    """One loopback server speaking the 'openai' or 'scenema' API."""

    def __init__(self, api: str, audio: bytes | None = None, latency: float = 0.0):
        self.api = api
        self.audio = audio if audio is not None else tone_wav(rate=48000 if api == "scenema" else 24000)
        self.latency = latency
        self.script: list[tuple] = []  # actions for the next requests, in order
        self.bodies: list[dict] = []  # every request body received
        self.headers: list[dict] = []  # and its headers
        self.answered = 0  # requests answered with audio
        self.in_flight = 0
        self.max_in_flight = 0
        self.received = threading.Condition()
        self.hanging = threading.Event()  # set when a request is being held by a ("hang",) action
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def queue(self, *actions: tuple) -> SpeechServer:
        """Script the next requests' answers."""
        with self.received:
            self.script.extend(actions)
        return self

    def wait_for(self, n: int, timeout: float = 60.0) -> bool:
        """Block until n requests have arrived."""
        with self.received:
            return self.received.wait_for(lambda: len(self.bodies) >= n, timeout=timeout)

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------------ serving
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length)
        with self.received:
            body = json.loads(raw or b"{}")
            self.bodies.append(body)
            self.headers.append(dict(h.headers))
            action = self.script.pop(0) if self.script else ("ok",)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.received.notify_all()
        try:
            self._answer(h, body, action)
        finally:
            with self.received:
                self.in_flight -= 1

    def _answer(self, h, body: dict, action: tuple) -> None:
        path = "/generate" if self.api == "scenema" else "/v1/audio/speech"
        if h.path != path:
            return self._error(h, 404, f"no route {h.path}")
        if action[0] == "hang":
            self.hanging.set()
            self._stop.wait()
            return self._send(h, 503, b"", "text/plain")
        if action[0] == "gate":
            action[1].wait()
        if action[0] == "status":
            return self._error(h, action[1], action[2])
        if action[0] == "garbage":
            return self._send(h, 200, b"\x00\x17 not audio at all " * 20, "audio/wav")
        if action[0] == "raw":
            return self._send(h, action[1], action[3], action[2])
        problem = self._invalid(body)
        if problem:
            return self._error(h, 400 if self.api == "openai" else 500, problem)
        if self.latency:
            time.sleep(self.latency)
        audio = action[1] if action[0] == "audio" else self.audio
        with self.received:
            self.answered += 1
        if self.api == "openai":
            return self._send(h, 200, audio, "audio/wav")
        payload = {"status": "succeeded", "audio": base64.b64encode(audio).decode(),
                   "content_type": "audio/wav", "metadata": {"sample_rate": 48000, "seed": body.get("seed")}}
        return self._send(h, 200, json.dumps(payload).encode(), "application/json")

    def _invalid(self, body: dict) -> str | None:
        if self.api == "openai":
            missing = [k for k in ("model", "input", "voice") if not body.get(k)]
            if missing:
                return f"missing field(s) {missing}"
            if body.get("ref_audio") and not body.get("ref_text"):
                return "ref_text is required with ref_audio"
            return None
        prompt = body.get("prompt") or ""
        gender = re.search(r'gender="([^"]*)"', prompt)
        if not gender or gender.group(1) not in ("male", "female"):
            return f"Invalid prompt XML: gender must be male or female, got {gender.group(1) if gender else None}"
        return None

    def _error(self, h, status: int, message: str) -> None:
        if self.api == "openai":
            data = {"error": {"message": message, "type": "invalid_request_error"}}
        else:
            data = {"status": "failed", "error": message}
        self._send(h, status, json.dumps(data).encode(), "application/json")

    def _send(self, h, status: int, data: bytes, ctype: str) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass
