"""Typed engine options: strings from the command line become the option dataclass's types.

`--engine-option timeout=300` is a number, `validate=false` a bool, `background_sfx=none` unset;
values from a YAML config arrive typed and are checked the same way. An unknown option or a value
of the wrong type is one InputError line naming the engine, the option and the valid choices.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing

from ..errors import InputError, did_you_mean
from .secrets import MASK, is_secret_name

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_NONE = {"none", "null", "~", ""}


def option_names(cls) -> list[str]:
    """The options an engine's option dataclass accepts."""
    return [f.name for f in dataclasses.fields(cls)]


def make_options(cls, engine: str, options=None, kwargs: dict | None = None):
    """The option dataclass from keyword options (strings are converted to each field's type)."""
    kwargs = kwargs or {}
    if options is not None:
        if kwargs:
            raise InputError(f"{engine} engine: pass either options= or keyword options, not both")
        return options
    valid = option_names(cls)
    unknown = sorted(set(kwargs) - set(valid))
    if unknown:
        raise InputError(f"{engine} engine: unknown option {', '.join(unknown)}{did_you_mean(unknown[0], valid)}; "
                         f"valid options: {', '.join(valid) or '(none)'}")
    hints = typing.get_type_hints(cls)
    return cls(**{name: coerce(value, hints[name], engine, name) for name, value in kwargs.items()})


def _kinds(hint) -> tuple[set, bool]:
    """The plain types an annotation allows, and whether None is allowed."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and args:
        kinds = {a for a in args if a is not type(None)}
        return kinds, type(None) in args
    return {typing.get_origin(hint) or hint}, False


def coerce(value, hint, engine: str, name: str):
    """value as the annotated type; InputError saying what was expected."""
    kinds, optional = _kinds(hint)
    if value is None or (isinstance(value, str) and optional and value.strip().lower() in _NONE
                         and str not in kinds):
        if optional:
            return None
        raise InputError(f"{engine} engine: option {name} needs a value")
    if str in kinds and isinstance(value, str):
        return value
    if bool in kinds:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        if not kinds - {bool}:
            raise InputError(f"{engine} engine: option {name} is true or false, not {value!r}")
    if int in kinds and not isinstance(value, bool):
        try:
            if isinstance(value, int) or (isinstance(value, str) and str(int(value.strip())) == value.strip()):
                return int(value)
        except ValueError:
            pass
    if float in kinds and not isinstance(value, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is not None and math.isfinite(number):
            return number
    if str in kinds and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if tuple in kinds or list in kinds:
        items = value if isinstance(value, (list, tuple)) else [v for v in str(value).split(",") if v.strip()]
        return tuple(str(v).strip() for v in items)
    expected = " or ".join(sorted(k.__name__ for k in kinds)) + (" or none" if optional else "")
    shown = MASK if is_secret_name(name) else repr(value)
    raise InputError(f"{engine} engine: option {name} must be a {expected}, not {shown}")
