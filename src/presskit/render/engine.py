"""Starting WeasyPrint quickly: the native libraries, the hyphenation patterns, the GC.

Three costs of a cold start that have nothing to do with the page being laid out:

- **Library lookup.** WeasyPrint loads Pango, HarfBuzz, fontconfig and GObject with
  cffi, trying several names per library (``libgobject-2.0-0``, then
  ``gobject-2.0-0``, …, then the Linux soname ``libgobject-2.0.so.0``). Each name the
  dynamic loader does not know makes cffi fall back to ``ctypes.util.find_library``,
  which on Linux runs ``ldconfig``, ``gcc`` and ``ld`` in subprocesses: about fifty of
  them per import, more than half of the import's time. :func:`import_weasyprint`
  imports it with ``find_library`` answering "not found" without a subprocess, so each
  miss costs a failed ``dlopen`` only and the soname in WeasyPrint's own list is loaded
  as before. Nothing is patched once the import is done; if the import fails that way
  (a system whose libraries go by other names), it is retried unchanged.
- **Hyphenation patterns.** Pyphen parses a language's pattern file on first use
  (40-60 ms). :func:`preload_hyphenation` loads a parsed copy kept in the user's cache
  folder (``$PRESSKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/presskit``, else
  ``~/.cache/presskit``), and writes it the first time.
- **Garbage collection.** The tens of thousands of objects created by the imports
  would be scanned by every full collection; :func:`startup_done` moves them out of
  the collector's sight once start-up is over, in processes that asked for it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def import_weasyprint() -> None:
    """Import WeasyPrint without spawning a process (see the module docstring)."""
    if "weasyprint" in sys.modules:
        return
    from PIL import ImageFile

    # WeasyPrint lets Pillow accept truncated images, for every caller in the
    # process; presskit refuses them when it checks the content: keep it so.
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        if not sys.platform.startswith("linux"):
            import weasyprint  # noqa: F401  (elsewhere find_library spawns nothing)
        else:
            _import_without_subprocesses()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated


def _import_without_subprocesses() -> None:
    try:
        with _library_lookup_without_subprocesses():
            import weasyprint
    except OSError:
        _forget_partial_import()
        import weasyprint  # noqa: F401  (the ordinary, slower lookup)


@contextlib.contextmanager
def _library_lookup_without_subprocesses() -> Iterator[None]:
    """``ctypes.util.find_library`` answers "not found" for the duration."""
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _not_found(name: str) -> None:
    return None


def _forget_partial_import() -> None:
    for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
        del sys.modules[name]


def cache_dir() -> Path:
    """Where presskit keeps what it can recompute: ``$PRESSKIT_CACHE_DIR``, else the
    XDG cache folder."""
    explicit = os.environ.get("PRESSKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "presskit"


def preload_hyphenation(language: str) -> None:
    """Put the parsed patterns for ``language`` in Pyphen's own cache, from the disk
    cache when there is a copy for this Pyphen and this pattern file."""
    import pyphen

    name = pyphen.language_fallback(language.replace("-", "_")) if language else None
    if name is None:
        return
    source = Path(str(pyphen.LANGUAGES[name]))
    if source in pyphen.hdcache:
        return
    try:
        stat = source.stat()
    except OSError:
        return
    cached = (
        cache_dir()
        / "hyphenation"
        / (f"{source.stem}-{pyphen.__version__}-{stat.st_mtime_ns}-{stat.st_size}.pickle")
    )
    dictionary = _read_pickle(cached)
    if not isinstance(dictionary, pyphen.HyphDict):
        dictionary = pyphen.HyphDict(source)
        _write_pickle(cached, dictionary)
    pyphen.hdcache[source] = dictionary


def _read_pickle(path: Path) -> Any:
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # no copy yet, or one from another version: parse again


def _write_pickle(path: Path, value: Any) -> None:
    """Best effort: a read-only or full cache folder only costs the next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)


_freeze = {"wanted": False, "done": False}


def freeze_after_startup() -> None:
    """Ask :func:`startup_done` to freeze the collector: for a process that is
    presskit's own (the command line, a worker), never for a library caller, whose
    other modules may rely on seeing every object (``gc.get_referrers``)."""
    _freeze["wanted"] = True


def startup_done() -> None:
    """Once per process, after the imports: keep every object alive so far out of
    later collections (without a collection first, which is the cost avoided)."""
    if _freeze["wanted"] and not _freeze["done"]:
        gc.freeze()
        _freeze["done"] = True
