"""Secrets: which option values are secret, and scrubbing them from anything shown or written.

An option is secret when its name looks like a credential (key, token, password, secret, ...);
a value read from the environment for an engine (an API key, a `${VAR}` in a config file) is
secret whatever its name. Secret values are remembered for the life of the process so that
redact() can blank them wherever they turn up (a server echoing a token in its error body, a
log line, a message); files the pipeline writes get public_options(), which leaves them out.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.parse

MASK = "***"
_SECRET_NAME = re.compile(r"(key|token|passw(or)?d|passwd|secret|credential|auth|cookie|bearer)", re.I)
_OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>")
_URL_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s:]+(:[^/@\s]*)?@", re.I)
_known: set[str] = set()
_lock = threading.Lock()
MIN_SECRET_CHARS = 6  # shorter values would blank ordinary words


def is_secret_name(name: str) -> bool:
    """True when an option of this name holds a credential."""
    return bool(_SECRET_NAME.search(name))


def remember(value) -> None:
    """Treat this value as secret from now on (redact() blanks it everywhere)."""
    if isinstance(value, str) and len(value.strip()) >= MIN_SECRET_CHARS:
        with _lock:
            _known.add(value.strip())


def remember_options(options: dict) -> None:
    """Remember the values of every secret-named option."""
    for name, value in options.items():
        if is_secret_name(name):
            remember(value)


def public_options(options: dict) -> dict:
    """The options safe to write to a file: secret-named ones left out, URLs without credentials."""
    return {k: (safe_url(v) if isinstance(v, str) else v) for k, v in options.items() if not is_secret_name(k)}


def safe_url(url: str) -> str:
    """A URL with any user:password@ and any key-like query parameter blanked."""
    url = _URL_USERINFO.sub(lambda m: m.group(1) + MASK + "@", url)
    if "?" not in url:
        return url
    parts = urllib.parse.urlsplit(url)
    query = [(k, MASK if is_secret_name(k) else v) for k, v in urllib.parse.parse_qsl(parts.query, True)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe="*")))


def redact(text: str) -> str:
    """text with every remembered secret, URL credential and Python object repr removed."""
    text = str(text)
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    text = _URL_USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    return _OBJECT_REPR.sub("(in-memory data)", text)


class RedactFilter(logging.Filter):
    """A logging filter that redacts every record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install_log_filter() -> None:
    """Redact secrets in every log line that reaches the root logger's handlers."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())
