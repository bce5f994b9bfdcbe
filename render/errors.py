"""Errors a user can act on. Each message says what went wrong and what to do next."""


class RenderError(Exception):
    """A problem the user can fix; the CLI prints it on one line and exits non-zero."""

    exit_code = 1


class InputError(RenderError):
    """A manuscript, cast file or option is malformed."""

    exit_code = 2


class AssetError(RenderError):
    """A model file is missing or corrupt."""

    exit_code = 3


class EngineError(RenderError):
    """An engine failed to produce audio (server down, timeout, garbage)."""

    exit_code = 4


def where(path, line=None) -> str:
    """Format a location as 'path' or 'path:line' for error messages."""
    return f"{path}:{line}" if line else f"{path}"


class RunStopped(RenderError):
    """A fault that every further chunk would hit too (no server left, credentials refused):
    the run stops at once instead of failing chunk after chunk."""

    exit_code = 5
