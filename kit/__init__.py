"""tyopaja: an offline workshop kit for associations' good practices."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

__version__ = "0.1.0"


def lazy_module(name: str) -> ModuleType:
    """The module `name`, imported when one of its names is first used rather than now.

    The start screen lists saved workshops without the session model, whose ten frozen
    dataclasses take Python about 12 ms to build. The stdlib's own recipe
    (importlib.util.LazyLoader); once used, it is the ordinary module.
    """
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
