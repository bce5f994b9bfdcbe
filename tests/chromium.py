"""Driving Debian's headless Chromium over the DevTools protocol, for tests of listen.html."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--no-default-browser-check",
         "--autoplay-policy=no-user-gesture-required", "--allow-file-access-from-files",
         "--mute-audio", "--window-size=1280,800", "--remote-debugging-port=0"]


class ChromiumUnavailable(Exception):
    """Chromium (or the websocket client) is not here, or would not start."""


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


class Chromium:
    """One headless Chromium with a fresh profile and one page, driven over CDP."""

    def __init__(self, start_timeout: float = 60.0):
        try:
            import websocket  # websocket-client
        except ImportError as exc:
            raise ChromiumUnavailable("websocket-client is not installed (make setup installs it)") from exc
        exe = chromium_binary()
        if exe is None:
            raise ChromiumUnavailable("no chromium on PATH (make sysdeps installs Debian's chromium)")
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        self._proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      start_new_session=True)  # its own group: the launcher script and the browser
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + start_timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace")[-500:]
                self.close()
                raise ChromiumUnavailable(f"chromium exited at start: {err}")
            if time.monotonic() > deadline:
                self.close()
                raise ChromiumUnavailable("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            targets = [t for t in json.load(r) if t.get("type") == "page"]
        self._ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=60,
                                               suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method: str, **params) -> dict:
        """Send one CDP command and return its result (events that arrive meanwhile are kept)."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method: str) -> dict:
        """The next event of this kind (or one already received)."""
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        while True:
            msg = json.loads(self._ws.recv())
            if msg.get("method") == method:
                return msg
            self.events.append(msg)

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        """Evaluate JavaScript in the page (awaiting a promise) and return its value."""
        res = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"page script failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """A PNG of the page as it is drawn now."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self) -> None:
        try:
            if getattr(self, "_ws", None) is not None:
                self._ws.close()
        finally:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self._proc.pid, sig)  # the group this object started, by its id
                except ProcessLookupError:
                    break
                try:
                    self._proc.wait(timeout=20)
                    break
                except subprocess.TimeoutExpired:
                    continue
            shutil.rmtree(self._profile, ignore_errors=True)
