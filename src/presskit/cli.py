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
from typing import Any, NoReturn

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
        "--pdf-profile",
        choices=("pdfa-ua", "plain"),
        default="pdfa-ua",
        help="pdfa-ua (default): PDF/A-2b and PDF/UA-1 in one file, tagged for screen "
        "readers and archives; plain: an untagged PDF",
    )
    build.add_argument(
        "--format",
        type=_formats,
        default=list(FORMATS),
        metavar="LIST",
        help="comma-separated formats among pdf,docx,html (default: all)",
    )
    add_mail_commands(commands)
    return main_parser


def add_mail_commands(commands: Any) -> None:
    """``presskit mail`` (drafts) and ``presskit send`` (SMTP)."""
    for name, help_text in (
        ("mail", "write one .eml draft per recipient, with the kit attached"),
        ("send", "send the press e-mails over SMTP, with the kit attached"),
    ):
        command = commands.add_parser(name, help=help_text, description=help_text + ".")
        command.add_argument(
            "content", nargs="?", type=Path, default=DEFAULT_CONTENT, metavar="CONTENT"
        )
        command.add_argument(
            "--to",
            type=Path,
            required=True,
            metavar="FILE",
            help="recipients: a CSV (email, name, outlet, language, …) or a YAML list",
        )
        command.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR")
        command.add_argument(
            "--config",
            type=Path,
            metavar="FILE",
            help="YAML with from, reply_to and SMTP settings (never a password)",
        )
        if name == "send":
            command.add_argument("--smtp", default="", metavar="HOST:PORT", help="SMTP server")
            command.add_argument(
                "--tls",
                choices=("starttls", "tls", "none"),
                default=None,
                help="starttls (default), tls (implicit, port 465) or none (local relay only)",
            )
            command.add_argument("--cafile", type=Path, metavar="FILE", help="trust this CA")
            command.add_argument(
                "--user", metavar="NAME", help="SMTP login (or PRESSKIT_SMTP_USER)"
            )
            command.add_argument(
                "--per-minute", type=float, metavar="N", help="send at most N messages a minute"
            )
            command.add_argument(
                "--dry-run", action="store_true", help="show what would be sent; send nothing"
            )


def _human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def run_build(args: argparse.Namespace) -> int:
    from presskit.build import build

    result = build(args.content, args.output, args.format, args.lang, args.pdf_profile)
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


def run_mail(args: argparse.Namespace) -> int:
    from presskit.mail import run

    job = run.prepare(args.content, args.to, args.output, run.read_config(args.config), draft=True)
    paths = run.write_drafts(job)
    shown = _shown(job.mail_dir)
    print(f"wrote {len(paths)} draft{'s' if len(paths) != 1 else ''} in {shown}/")
    return 0


def run_send(args: argparse.Namespace) -> int:
    import getpass

    from presskit.mail import run

    config = run.read_config(args.config)
    ask = getpass.getpass if sys.stdin.isatty() else None
    settings = None
    if not args.dry_run:
        settings = run.smtp_settings(
            args.smtp,
            config,
            security=args.tls,
            cafile=args.cafile,
            user=args.user,
            per_minute=args.per_minute,
            ask_password=ask,
        )
    job = run.prepare(args.content, args.to, args.output, config, draft=False)
    if settings is None:
        for line in run.dry_run(job):
            print(line)
        print("dry run: nothing was sent")
        return 0
    report = run.send(job, settings)
    for address, state in report.already:
        print(f"skipped {address}: {state} in an earlier run")
    for address, reason in report.refused:
        print(f"refused {address}: {reason}")
    for address, reason in report.deferred:
        print(f"not sent {address}: {reason} (rerun to retry)")
    for address in report.uncertain:
        print(
            f"uncertain {address}: the connection was lost after the message was sent; "
            "check with the recipient before sending again"
        )
    print(
        f"sent {len(report.sent)}, refused {len(report.refused)}, not sent "
        f"{len(report.deferred)}, uncertain {len(report.uncertain)}, "
        f"already done {len(report.already)}"
    )
    return 0 if report.complete and not report.refused else 1


def _shown(path: Path) -> Path:
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 2
    try:
        if args.command == "mail":
            return run_mail(args)
        if args.command == "send":
            return run_send(args)
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
