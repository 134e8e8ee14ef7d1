"""The ``presskit`` command line: a thin layer over :mod:`presskit.build`.

``main(argv)`` is callable in-process (the tests use it) and returns the exit status:
0 on success, 1 for a problem in the input or the build (one clear message, no
traceback), 2 for bad usage, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from presskit import __version__
from presskit.errors import ContentError, PresskitError
from presskit.resources import DEFAULT_CONTENT

FORMATS = ("pdf", "docx", "html")


def _formats(text: str) -> list[str]:
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = sorted(set(chosen) - set(FORMATS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}"
        )
    return chosen


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    main_parser = argparse.ArgumentParser(
        prog="presskit",
        description="Turn one content file describing a press announcement into a press kit.",
    )
    main_parser.add_argument("--version", action="version", version=f"presskit {__version__}")
    commands = main_parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="build the PDF, Word and HTML documents",
        description="Build the press release documents, for each language of the content, "
        "into DIR/<slug>/<lang>/.",
    )
    build.add_argument(
        "content",
        nargs="?",
        type=Path,
        default=DEFAULT_CONTENT,
        metavar="CONTENT",
        help="content file (YAML); default: the built-in French Tech example",
    )
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="output folder (default: ./output)",
    )
    build.add_argument(
        "--lang",
        type=lambda text: [code.strip() for code in text.split(",") if code.strip()],
        default=None,
        metavar="LANG",
        help="build only this language (or a comma-separated list); default: every language",
    )
    build.add_argument(
        "--format",
        type=_formats,
        default=list(FORMATS),
        metavar="LIST",
        help="comma-separated formats among pdf,docx,html (default: all)",
    )
    return main_parser


def _human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def run_build(args: argparse.Namespace) -> int:
    from presskit.build import build

    result = build(args.content, args.output, args.format, args.lang)
    cwd = Path.cwd()
    for output in result.outputs:
        shown = output.path.relative_to(cwd) if output.path.is_relative_to(cwd) else output.path
        print(f"wrote {shown}  ({_human_size(output.size)})")
    count = len(result.outputs)
    print(f"built {count} file{'s' if count != 1 else ''} in {result.seconds:.2f} s")
    return 0


def run() -> NoReturn:
    """Console-script entry point: run :func:`main`, then exit at once.

    Every output is written, synced and renamed before ``main`` returns, so the
    interpreter's teardown of the many modules a build imports (a tenth of a small
    build's time) buys nothing: flush the streams and leave.
    """
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 2
    try:
        return run_build(args)
    except ContentError as error:
        print(error, file=sys.stderr)  # already one "FILE:LINE: key: message" per line
        return 1
    except PresskitError as error:
        print(f"presskit: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("presskit: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: say so in one line unless debugging
        if os.environ.get("PRESSKIT_DEBUG"):
            traceback.print_exc()
        print(
            f"presskit: internal error: {type(error).__name__}: {error} "
            "(set PRESSKIT_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1
