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


def did_you_mean(name: str, choices) -> str:
    """' (did you mean 'x'?)' for the closest of `choices` to a mistyped `name`, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
