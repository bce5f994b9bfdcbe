"""`render book` through the OpenAI-compatible engine, against a real loopback server (slow).

The server speaks POST /v1/audio/speech and voices each request with Kokoro in-process (the
way Kokoro-FastAPI serves it), so the whole pipeline — prompts, cast voices, validation,
cache, stitching — runs over HTTP as it would against a GPU box.
"""

from __future__ import annotations

import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import soundfile as sf
from click.testing import CliRunner

from render.cli import main
from render.engines import create
from render.engines.base import SynthRequest
from render.speak.build import PromptSpec, build_prompt

pytestmark = pytest.mark.slow

STORY = """# Lamps

## One

"Is the lamp lit?" asked Nell. "Not yet," said Owen. "I am looking for the matches."

Nell laughed and handed him the box from her coat pocket.
"""

CAST = """narrator: {voice: bm_george, gender: male}
characters:
  - {name: Nell, gender: female, voice: af_bella}
  - {name: Owen, gender: male, voice: am_michael}
"""


@pytest.fixture
def server():
    kokoro = create("kokoro")
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(body)
            if self.path != "/v1/audio/speech":
                self.send_response(404)
                self.end_headers()
                return
            text = body["input"]
            xml = build_prompt(PromptSpec(voice="v", gender="neutral", text=text))
            audio = kokoro.synthesize(SynthRequest(xml=xml, text=text, voice=body["voice"],
                                                   speed=float(body.get("speed", 1.0))))
            buf = io.BytesIO()
            sf.write(buf, audio.samples, audio.sample_rate, format="WAV", subtype="PCM_16")
            data = buf.getvalue()
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()


def test_book_over_an_openai_compatible_server(server, tmp_path):
    url, seen = server
    (tmp_path / "lamps.md").write_text(STORY)
    (tmp_path / "cast.yaml").write_text(CAST)
    args = ["book", str(tmp_path / "lamps.md"), "--cast", str(tmp_path / "cast.yaml"), "-o", str(tmp_path / "out"),
            "--cache", str(tmp_path / "cache"), "--engine", "openai", "--engine-option", f"base_url={url}", "--quiet"]
    # in this process, which has Whisper loaded already; the server thread voices each request
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output + repr(first.exception)
    m = re.search(r"(\d+) synthesized, (\d+) from cache, (\d+) failed, (\d+) flagged", first.stdout)
    assert m and int(m.group(1)) == len(seen) and m.group(3) == "0" and m.group(4) == "0", first.stdout
    voices = {b["input"]: b["voice"] for b in seen}
    assert voices["Is the lamp lit?"] == "af_bella"
    assert voices["I am looking for the matches."] == "am_michael"
    assert voices["said Owen."] == "bm_george"
    assert all(b["response_format"] == "wav" and b["model"] for b in seen)
    assert json.loads((tmp_path / "out" / "chapters.json").read_text())[0]["seconds"] > 3
    asked = len(seen)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and re.search(r"^0 synthesized", again.stdout, re.M) and len(seen) == asked
