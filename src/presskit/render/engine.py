"""Starting WeasyPrint quickly: the native libraries, the hyphenation patterns, the GC.

Four costs of a cold start that have nothing to do with the page being laid out:

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
- **C declarations.** WeasyPrint declares the C functions and types it calls in one
  ``cffi`` ``cdef`` of some 450 lines, which cffi parses with pycparser at every import
  (about 100 ms), then parses again each C type named in a call (``PangoRectangle *``,
  a dozen of them on the first page: about 150 ms more). :func:`import_weasyprint`
  gives WeasyPrint's import an FFI built from those same declarations compiled once by
  cffi's own out-of-line ABI mode (``set_source(name, None)``), keyed by the text of
  the declarations and cffi's version: loading it takes 2 ms and its C type parser
  needs no pycparser. cffi writes the result as a Python module; only its tables
  (bytes and numbers) are kept in the cache folder, as data, and given to
  ``_cffi_backend.FFI``: nothing from the cache is imported or run. The declarations,
  the libraries and every call stay WeasyPrint's; with other declarations than the
  compiled ones it gets an ordinary FFI.
- **Hyphenation patterns.** Pyphen parses a language's pattern file on first use
  (40-60 ms, 400 ms for German). :func:`preload_hyphenation` loads a parsed copy
  kept in the user's cache folder (:mod:`presskit.util.diskcache`), and writes it the
  first time: a table of strings and numbers (:mod:`marshal`), never a pickle.
- **Garbage collection.** The imports create hundreds of thousands of objects that
  live as long as the process, and the collector ran some 150 times over them while
  they were made (50 ms of a command's start, as much again in the PDF worker's).
  In processes that asked for it (presskit's own), :func:`freeze_after_startup`
  makes collections rare while starting, and :func:`startup_done` moves everything
  alive at the end of start-up out of the collector's sight.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from presskit.util import diskcache
from presskit.util.diskcache import cache_dir


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
        with _library_lookup_without_subprocesses(), _compiled_declarations():
            import weasyprint
    except OSError:
        _forget_partial_import()
        import weasyprint  # noqa: F401  (the ordinary, slower lookup)


@contextlib.contextmanager
def _compiled_declarations() -> Iterator[None]:
    """``cffi.FFI()`` returns a :class:`_PrecompiledFFI` for the duration; afterwards
    the modules that kept one hold the FFI it stands for instead."""
    import cffi

    original = cffi.FFI
    cffi.FFI = _PrecompiledFFI
    try:
        yield
    finally:
        cffi.FFI = original
        for name, module in list(sys.modules.items()):
            if name.partition(".")[0] != "weasyprint" or module is None:
                continue
            stand_in = vars(module).get("ffi")  # not getattr: no module __getattr__ run
            if isinstance(stand_in, _PrecompiledFFI):
                module.ffi = stand_in.real()  # type: ignore[attr-defined]


class _PrecompiledFFI:
    """What ``cffi.FFI()`` gives during WeasyPrint's import: at its ``cdef``, the
    compiled FFI for those declarations (compiled and cached the first time); for any
    other use, an ordinary FFI to which everything is passed on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._arguments = (args, kwargs)
        self._real: Any = None

    def cdef(self, source: str, *args: Any, **kwargs: Any) -> None:
        if self._real is None and not args and not kwargs and not any(self._arguments):
            self._real = _compiled_ffi(source)
        else:
            self.real().cdef(source, *args, **kwargs)

    def real(self) -> Any:
        if self._real is None:
            import cffi.api

            self._real = cffi.api.FFI(*self._arguments[0], **self._arguments[1])
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


_FFI_MODULE = "_presskit_compiled_ffi"
_FFI_FORMAT = 2  # 1: cffi's generated module, imported; 2: its tables, as data


def _compiled_ffi(source: str) -> Any:
    """The out-of-line FFI for ``source``, from the cache; the first time, compiled
    from an ordinary FFI that parses the declarations (used as it is if the cache
    cannot be written)."""
    import cffi
    import cffi.api

    name = f"declarations-{diskcache.key([_FFI_FORMAT, cffi.__version__, source])}.ffi"
    path = cache_dir() / "cffi" / name
    compiled = _ffi_from_tables(diskcache.read_entry(path))
    if compiled is not None:
        return compiled
    ffi = cffi.api.FFI()
    ffi.set_source(_FFI_MODULE, None)
    ffi.cdef(source)
    tables = _ffi_tables(ffi)
    if tables is None:
        return ffi
    diskcache.write_entry(path, tables)
    # The same FFI as every later start, if cached.
    return _ffi_from_tables(diskcache.read_entry(path)) or ffi


def _ffi_tables(ffi: Any) -> bytes | None:
    """The tables cffi's out-of-line ABI mode compiles the declarations to, as data
    (:mod:`marshal` of bytes, numbers and tuples): cffi writes them as a Python module
    that calls ``_cffi_backend.FFI(name, **tables)``, whose arguments are read here as
    literals. Nothing from the cache is ever imported or run."""
    import io

    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / f"{_FFI_MODULE}.py"
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
                ffi.emit_python_code(str(generated))
            tables = _literal_arguments(generated.read_text(encoding="utf-8"))
        except Exception:  # best effort, as for the hyphenation patterns
            return None
    return None if tables is None else marshal.dumps(tables)


def _literal_arguments(module: str) -> dict[str, Any] | None:
    """The keyword arguments of the ``_cffi_backend.FFI(...)`` call in cffi's module,
    if they are all literals (not when it includes another FFI)."""
    import ast

    calls = [
        node.value
        for node in ast.parse(module).body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
    ]
    if len(calls) != 1 or any(keyword.arg is None for keyword in calls[0].keywords):
        return None
    try:
        tables = {str(kw.arg): ast.literal_eval(kw.value) for kw in calls[0].keywords}
    except ValueError:
        return None
    return tables if _plain_data(tables.values()) else None


def _ffi_from_tables(data: bytes | None) -> Any:
    """The FFI made from cached tables, or None when there are none or they are not
    plain data (never executed: :mod:`marshal` makes objects, it runs nothing)."""
    if data is None:
        return None
    try:
        tables = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(tables, dict) or not all(isinstance(name, str) for name in tables):
        return None
    if not _plain_data(tables.values()):
        return None
    try:
        return importlib.import_module("_cffi_backend").FFI(_FFI_MODULE, **tables)
    except Exception:  # tables of another cffi: parse the declarations instead
        return None


def _plain_data(values: Iterable[object]) -> bool:
    """Whether ``values`` hold only bytes, strings, integers and tuples of them."""
    pending = list(values)
    while pending:
        value = pending.pop()
        if isinstance(value, tuple):
            pending.extend(value)
        elif type(value) not in (bytes, str, int):
            return False
    return True


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


def preload_hyphenation(language: str) -> None:
    """Put the parsed patterns for ``language`` in Pyphen's own cache, from the disk
    cache when there is a copy for this Pyphen and this pattern file."""
    import pyphen

    source = _pattern_file(language)
    if source is None or source in pyphen.hdcache:
        return
    try:
        stat = source.stat()
    except OSError:
        return
    cached = cache_dir() / "hyphenation" / f"{source.stem}-{_hyphenation_key(stat)}"
    dictionary = _read_patterns(cached)
    if dictionary is None:
        dictionary = _parsed_and_kept(source, cached)
    pyphen.hdcache[source] = dictionary


def _pattern_file(language: str) -> Path | None:
    """Pyphen's pattern file for ``language`` (or the nearest it has), if any."""
    import pyphen

    name = pyphen.language_fallback(language.replace("-", "_")) if language else None
    return None if name is None else Path(str(pyphen.LANGUAGES[name]))


def _parsed_and_kept(source: Path, cached: Path) -> Any:
    """Pyphen's parse of ``source``, kept on disk at ``cached`` for the next time."""
    import pyphen

    dictionary = pyphen.HyphDict(source)
    data = _pattern_data(dictionary)
    if data is not None:
        diskcache.write_entry(cached, data)
    return dictionary


def _hyphenation_key(stat: os.stat_result) -> str:
    import pyphen

    return diskcache.key(["patterns", pyphen.__version__, stat.st_mtime_ns, stat.st_size])


# Pyphen's parsed patterns are kept as data, not pickled (a pickle can run any code
# as it is loaded): the pattern table, each value a number, or for a nonstandard
# hyphen (``ff=f``) the number and its data as a tuple. A HyphDict of this Pyphen
# version (in the entry's name) has these attributes and no other.
_HYPHDICT_ATTRIBUTES = {"patterns", "cache", "maxlen"}


def _pattern_data(dictionary: Any) -> bytes | None:
    if set(vars(dictionary)) != _HYPHDICT_ATTRIBUTES:
        return None  # another Pyphen than the one this code knows: parse each time
    patterns = {
        tag: (start, tuple(_plain_value(value) for value in values))
        for tag, (start, values) in dictionary.patterns.items()
    }
    return marshal.dumps((dictionary.maxlen, patterns))


def _plain_value(value: int) -> int | tuple[object, ...]:
    data = getattr(value, "data", None)
    return int(value) if data is None else (int(value), *data)


def _read_patterns(path: Path) -> Any:
    """The parsed patterns kept at ``path``, or None (no copy yet, a damaged one, or
    one that is not the table :func:`_pattern_data` writes: parse again)."""
    import pyphen

    data = diskcache.read_entry(path)
    if data is None:
        return None
    try:
        maxlen, patterns = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if type(maxlen) is not int or type(patterns) is not dict:
        return None
    for tag, entry in patterns.items():
        restored = _restored_entry(pyphen, tag, entry)
        if restored is None:
            return None
        patterns[tag] = restored
    dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)
    dictionary.patterns, dictionary.cache, dictionary.maxlen = patterns, {}, maxlen
    return dictionary


def _restored_entry(pyphen: Any, tag: object, entry: object) -> tuple[int, tuple[Any, ...]] | None:
    """One pattern as :func:`_pattern_data` wrote it (``(start, values)``), its
    nonstandard hyphens made pyphen's again; None when it is not such an entry."""
    if not (type(tag) is str and type(entry) is tuple and len(entry) == 2):
        return None
    start, values = entry
    if type(start) is not int or type(values) is not tuple:
        return None
    if all(type(value) is int for value in values):
        return entry
    if not all(type(value) is int or _is_alternative(value) for value in values):
        return None
    return start, tuple(_data_int(pyphen, value) for value in values)


def _is_alternative(value: object) -> bool:
    """A nonstandard hyphen's value as :func:`_plain_value` keeps it: (number,
    change, index, cut)."""
    return type(value) is tuple and [type(part) for part in value] == [int, str, int, int]


def _data_int(pyphen: Any, value: int | tuple[int, str, int, int]) -> Any:
    return value if isinstance(value, int) else pyphen.DataInt(value[0], value[1:])


_freeze = {"wanted": False, "done": False}
# Allocations between two collections of the youngest objects (Python's default: 700):
# while starting, when almost nothing made is garbage; then while rendering, where
# 5,000 halves the collector's time and leaves the peak memory of a batch unchanged
# (12 kits: 110 MB either way; 100,000 would double it).
STARTUP_THRESHOLD = 100_000
RUNNING_THRESHOLD = 5_000


def freeze_after_startup() -> None:
    """Make collections rare until :func:`startup_done`, which freezes what start-up
    made: for a process that is presskit's own (the command line, a worker), never
    for a library caller, whose other modules may rely on seeing every object
    (``gc.get_referrers``) or on the collector's usual pace. Rare, not off: a
    command that never calls :func:`startup_done` still collects."""
    if not _freeze["wanted"]:
        gc.set_threshold(STARTUP_THRESHOLD, *gc.get_threshold()[1:])
    _freeze["wanted"] = True


def startup_done() -> None:
    """Once per process, after the imports: keep every object alive so far out of
    later collections (without a collection first, which is the cost avoided), and
    collect at the running pace from now on."""
    if _freeze["wanted"] and not _freeze["done"]:
        gc.freeze()
        gc.set_threshold(RUNNING_THRESHOLD, *gc.get_threshold()[1:])
        _freeze["done"] = True
