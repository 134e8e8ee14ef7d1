"""The ``presskit`` command line: a thin layer over the library.

``main(argv)`` is callable in-process (the tests use it) and returns the exit status:

- 0: done;
- 1: a problem in the content, the recipients or the command line (one clear message
  per problem, no traceback);
- 2: presskit could not write or send (a folder it cannot write to, a full disk, an
  SMTP server that refused the connection, an unfinished batch) or failed itself;
- 130: interrupted with Ctrl-C (earlier outputs are unchanged).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from presskit import __version__
from presskit.util.errors import BuildError, ContentError, PresskitError

FORMATS = ("pdf", "docx", "html", "ics")
EXIT_OK, EXIT_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1, like every other problem in what the user gave."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


class Output:
    """What commands print: plain lines, fewer with --quiet, more with --verbose."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(text, flush=True)

    def status(self, text: str) -> contextlib.AbstractContextManager[Any]:
        """A spinner on the terminal while a step runs; nothing when piped or quiet."""
        if self.quiet or not sys.stderr.isatty():
            return contextlib.nullcontext()
        from rich.console import Console

        return Console(stderr=True).status(text)


def _formats(text: str) -> list[str]:
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = sorted(set(chosen) - set(FORMATS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}"
        )
    return chosen


def _languages(text: str) -> list[str]:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("give a language code, e.g. --lang fr")
    return codes


CURRENT_CONTENT_HELP = "the content file of the current folder (release.yaml, or its only *.yaml)"


def current_content(folder: Path | None = None) -> Path:
    """The content file of ``folder`` (the current one): its ``release.yaml``, else
    its only ``*.yaml``/``*.yml`` file; refused, saying what to do, when there is none
    or several. Never the built-in example: a command run in the wrong folder must not
    build, or mail, someone else's release."""
    folder = folder or Path.cwd()
    found = _content_candidates(folder)
    if len(found) == 1:
        return _as_given(found[0], folder)
    where = "this folder" if folder == Path.cwd() else str(folder)
    if found:
        names = ", ".join(p.name for p in found[:5])
        raise PresskitError(
            f"{where} holds several content files ({names}); name the one to use, "
            f"e.g. presskit build {found[0].name}"
        )
    raise PresskitError(
        f"no content file given, and {where} has none (release.yaml); name one, e.g. "
        "presskit build my-release/release.yaml, or start one with presskit new "
        "(presskit new --example DIR copies the built-in example)"
    )


def _content_candidates(folder: Path) -> list[Path]:
    """Its ``release.yaml`` alone when there is one, else its ``*.yaml``/``*.yml`` files."""
    named = folder / "release.yaml"
    if named.is_file():
        return [named]
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def _as_given(path: Path, folder: Path) -> Path:
    """``path`` by its name alone when ``folder`` is the current one."""
    return Path(path.name) if folder == Path.cwd() else path


def _resolution(text: str) -> tuple[str, str]:
    address, _, action = text.rpartition("=")
    if not address or action not in ("delivered", "resend"):
        raise argparse.ArgumentTypeError(f"write ADDRESS=delivered or ADDRESS=resend, not {text!r}")
    return address.strip(), action


def _per_minute(text: str) -> float:
    """A sending pace, held to the mail package's own rule (one rule, one message)."""
    from presskit.mail.run import checked_rate

    try:
        return checked_rate(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    except PresskitError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# -- the command table -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Argument:
    """One ``add_argument`` call: its names (or flags) and its settings."""

    names: tuple[str, ...]
    settings: dict[str, Any]


def _arg(*names: str, **settings: Any) -> Argument:
    return Argument(names, settings)


@dataclasses.dataclass(frozen=True)
class Command:
    """One sub-command: its name, a summary (help and description), an example (the
    epilog) and its arguments, in the order ``--help`` lists them."""

    name: str
    summary: str
    example: str
    arguments: tuple[Argument, ...] = ()


_EVERY_COMMAND = (
    _arg("-q", "--quiet", action="store_true", help="print errors only"),
    _arg("-v", "--verbose", action="store_true", help="say more about each step"),
)
_CONTENT = _arg(
    "content", nargs="?", type=Path, default=None, metavar="CONTENT",
    help=f"content file (YAML); default: {CURRENT_CONTENT_HELP}",
)  # fmt: skip
# Mailing the built-in example, or the wrong folder's release, to a real list by
# accident: never. The mail commands want their content file named.
_NAMED_CONTENT = _arg("content", type=Path, metavar="CONTENT", help="content file (YAML)")
_OUTPUT = _arg(
    "-o", "--output", type=Path, default=Path("output"), metavar="DIR",
    help="output folder (default: ./output)",
)  # fmt: skip
_MAIL_ARGUMENTS = (
    _NAMED_CONTENT,
    _arg(
        "--to", type=Path, required=True, metavar="FILE",
        help="recipients: a CSV (email, name, outlet, language, …) or a YAML list",
    ),
    _OUTPUT,
    _arg(
        "--config", type=Path, metavar="FILE",
        help="YAML with from, reply_to and SMTP settings (never a password)",
    ),
    _arg(
        "--theme", type=Path, metavar="DIR",
        help="a theme folder (its email/ templates, wording, layout), as for build",
    ),
)  # fmt: skip

BUILD = Command(
    "build", "build the PDF, Word and HTML documents and the press-kit ZIP",
    "presskit build release.yaml -o output --lang fr --format pdf,docx",
    (
        _arg(
            "content", nargs="*", type=Path, default=[], metavar="CONTENT",
            help="content files (YAML) or folders of them, built in one process; "
            f"default: {CURRENT_CONTENT_HELP}",
        ),
        _OUTPUT,
        _arg(
            "--lang", type=_languages, default=None, metavar="LANG",
            help="build only this language (or a comma-separated list); default: every language",
        ),
        _arg(
            "--pdf-profile", choices=("pdfa-ua", "plain"), default="pdfa-ua",
            help="pdfa-ua (default): PDF/A-2b and PDF/UA-1 in one file; plain: untagged",
        ),
        _arg(
            "--theme", type=Path, metavar="DIR",
            help="a folder of templates and press-release.css overriding the built-in theme",
        ),
        _arg(
            "--format", type=_formats, default=list(FORMATS), metavar="LIST",
            help="comma-separated formats among pdf,docx,html,ics (default: all)",
        ),
    ),
)  # fmt: skip
CHECK = Command(
    "check", "review the content as an editor would, without building",
    "presskit check release.yaml --strict",
    (
        _CONTENT,
        _arg("--strict", action="store_true", help="treat warnings as errors"),
        _arg("--format", choices=("text", "json"), default="text", help="text (default) or json"),
        _arg(
            "--theme", type=Path, metavar="DIR",
            help="lay the pages out with this theme, as `build --theme DIR` would",
        ),
    ),
)  # fmt: skip
NEW = Command(
    "new", "start a new announcement from a commented template", "presskit new my-release",
    (
        _arg("folder", nargs="?", type=Path, default=Path("."), metavar="DIR"),
        _arg(
            "--kit", action="store_true",
            help="include a press kit document (dossier de presse) with ecosystem profiles",
        ),
        _arg(
            "--example", action="store_true",
            help="copy the built-in example (a French and English release) instead",
        ),
    ),
)  # fmt: skip
SCHEMA = Command(
    "schema", "print the JSON Schema of content files (for editors)",
    "presskit schema > presskit.schema.json",
)  # fmt: skip
PREVIEW = Command(
    "preview", "serve a live preview that rebuilds when files change",
    "presskit preview release.yaml --port 8000",
    (_CONTENT, _OUTPUT, _arg("--port", type=int, default=0, help="port (default: a free one)")),
)  # fmt: skip
MAIL = Command(
    "mail", "write one .eml draft per recipient, with the kit attached",
    "presskit mail release.yaml --to recipients.csv",
    _MAIL_ARGUMENTS,
)  # fmt: skip
SEND = Command(
    "send", "send the press e-mails over SMTP, with the kit attached",
    "PRESSKIT_SMTP_USER=press presskit send release.yaml --to recipients.csv "
    "--smtp smtp.example.org:587",
    (
        *_MAIL_ARGUMENTS,
        _arg("--smtp", default="", metavar="HOST:PORT", help="SMTP server"),
        _arg(
            "--tls", choices=("starttls", "tls", "none"), default=None,
            help="starttls (default), tls (implicit, port 465) or none (local relay only)",
        ),
        _arg("--cafile", type=Path, metavar="FILE", help="trust this CA"),
        _arg("--user", metavar="NAME", help="SMTP login (or PRESSKIT_SMTP_USER)"),
        _arg(
            "--per-minute", type=_per_minute, metavar="N",
            help="send at most N messages a minute (0.1 to 10000)",
        ),
        _arg("--dry-run", action="store_true", help="show what would be sent; send nothing"),
        _arg(
            "--resolve", type=_resolution, action="append", default=[],
            metavar="ADDRESS=delivered|resend",
            help="settle an uncertain or refused message: it was delivered (check with "
            "the recipient or the server's log), or send it again; repeat as needed",
        ),
    ),
)  # fmt: skip
IMPORT = Command(
    "import", "bring the edits made in a presskit Word file back into the content",
    "presskit import reviewed.docx release.yaml --dry-run",
    (
        _arg("word", type=Path, metavar="EDITED.docx", help="the edited Word file"),
        _CONTENT,
        _arg("--dry-run", action="store_true", help="print the changes as a diff; write nothing"),
        _arg(
            "--accept-changes", action="store_true",
            help="read tracked changes as if all were accepted (default: refuse the file)",
        ),
    ),
)  # fmt: skip
SITE = Command(
    "site", "write a static newsroom for one or many content files",
    "presskit site releases/ -o site/ --base-url https://example.org/press/",
    (
        _arg(
            "sources", nargs="*", type=Path, metavar="CONTENT|DIR",
            help="content files, or folders of them (*.yaml); default: the current folder's",
        ),
        _arg(
            "-o", "--output", type=Path, default=Path("site"), metavar="DIR",
            help="the site's folder (default: ./site)",
        ),
        _arg(
            "--base-url", metavar="URL",
            help="where the site will be published; needed for sitemap.xml and social cards",
        ),
        _arg(
            "--include-embargoed", action="store_true",
            help="also show releases still under embargo (a private preview: do not publish it)",
        ),
        _arg(
            "--theme", type=Path, metavar="DIR",
            help="a theme folder (its site/ templates and site.css, wording, layout), as for build",
        ),
    ),
)  # fmt: skip
COMMAND_TABLE = (BUILD, CHECK, NEW, SCHEMA, PREVIEW, MAIL, SEND, IMPORT, SITE)


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per entry of :data:`COMMAND_TABLE`."""
    main_parser = _Parser(
        prog="presskit",
        description="Turn one content file describing a press announcement into a press kit.",
        epilog="example:\n  presskit new my-release && presskit build my-release/release.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main_parser.add_argument("--version", action="version", version=f"presskit {__version__}")
    commands = main_parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMAND_TABLE:
        _add_command(commands, command)
    return main_parser


def _add_command(commands: Any, command: Command) -> None:
    summary = command.summary
    sub_parser = commands.add_parser(
        command.name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  {command.example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for argument in (*_EVERY_COMMAND, *command.arguments):
        sub_parser.add_argument(*argument.names, **argument.settings)


# -- commands --------------------------------------------------------------------------


def _human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _counted(count: int, noun: str) -> str:
    """ "1 file", "3 files"."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _shown(path: Path) -> Path:
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def run_build(args: argparse.Namespace, out: Output) -> int:
    contents = _content_files(args.content)
    if len(contents) == 1 and not args.content[0].is_dir():
        from presskit.kit.build import build

        with out.status("building"):
            result = build(
                contents[0], args.output, args.format, args.lang, args.pdf_profile,
                theme=args.theme,
            )  # fmt: skip
        _report_build(result, out)
        return EXIT_OK
    return _run_build_many(contents, args, out)


def _content_files(given: list[Path]) -> list[Path]:
    """The files given, with each folder replaced by its ``*.yaml``/``*.yml`` files and
    the ``release.yaml`` of each of its sub-folders (the layout ``presskit new``
    makes), sorted."""
    from presskit.content.folders import contents_of_folder

    files: list[Path] = []
    for path in given:
        if path.is_dir():
            files += contents_of_folder(path)
        else:
            files.append(path)
    return files


def _report_build(result: Any, out: Output) -> None:
    for output in result.outputs:
        out.say(f"wrote {_shown(output.path)}  ({_human_size(output.size)})")
    count = len(result.outputs)
    out.say(f"built {_counted(count, 'file')} in {result.seconds:.2f} s")


def _run_build_many(contents: list[Path], args: argparse.Namespace, out: Output) -> int:
    """Every kit in one process; a kit that fails is reported and the others built."""
    import time

    from presskit.kit.build import build_many

    started = time.perf_counter()
    with out.status(f"building {len(contents)} kits"):
        outcomes = build_many(
            contents, args.output, args.format, args.lang, args.pdf_profile, theme=args.theme
        )
    status = max((_report_outcome(outcome, out) for outcome in outcomes), default=EXIT_OK)
    out.say(f"{_batch_summary(outcomes)} in {time.perf_counter() - started:.2f} s")
    return status


def _batch_summary(outcomes: Sequence[Any]) -> str:
    """ "built 3 kits, 1 failed"."""
    built = sum(1 for outcome in outcomes if outcome.result is not None)
    failed = len(outcomes) - built
    return f"built {_counted(built, 'kit')}" + (f", {failed} failed" if failed else "")


def _report_outcome(outcome: Any, out: Output) -> int:
    """Say what one kit of many became; return its exit status."""
    if outcome.result is not None:
        _report_build(outcome.result, out)
        return EXIT_OK
    error = outcome.error
    _report_kit_error(outcome.content, error, out)
    return EXIT_FAILURE if error is not None and _is_failure(error) else EXIT_INPUT


def _report_kit_error(content: Path, error: BaseException | None, out: Output) -> None:
    """One line naming the kit's content file (once); with --verbose or PRESSKIT_DEBUG,
    the traceback of a fault of presskit's own as well."""
    if isinstance(error, ContentError):
        print(error, file=sys.stderr)
        return
    message = str(error)
    named = message if message.startswith(f"{content}:") else f"{content}: {message}"
    print(f"presskit: error: {named}", file=sys.stderr)
    from presskit.kit.build import InternalBuildError

    fault = error.__cause__ if isinstance(error, InternalBuildError) else None
    if fault is not None and (out.verbose or os.environ.get("PRESSKIT_DEBUG")):
        traceback.print_exception(fault, file=sys.stderr)


def run_check(args: argparse.Namespace, out: Output) -> int:
    from presskit.kit.review import as_json, review

    try:
        findings = review(args.content, theme=args.theme)
    except ContentError as error:
        if args.format != "json":
            raise ContentError(error.file, error.problems, "fix these first") from None
        _print_json(_content_errors_as_json(error, args.content))
        return EXIT_INPUT
    if args.strict:
        findings = [dataclasses.replace(f, level="error") for f in findings]
    if args.format == "json":
        _print_json(as_json(findings, args.content))
    else:
        _say_findings(findings, args, out)
    return EXIT_INPUT if args.strict and findings else EXIT_OK


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _content_errors_as_json(error: ContentError, content: Path) -> list[dict[str, Any]]:
    """Content that does not load, in the shape of ``check --format json``'s findings."""
    return [
        {"file": str(content), "level": "error", "line": p.line, "key_path": p.key_path,
         "message": p.message, "language": ""}
        for p in error.problems
    ]  # fmt: skip


def _say_findings(findings: Sequence[Any], args: argparse.Namespace, out: Output) -> None:
    for finding in findings:
        print(finding.format(args.content))
    kind = "error" if args.strict else "warning"
    summary = _counted(len(findings), kind) if findings else "no problems found"
    out.say(f"{args.content}: {summary}")


def run_new(args: argparse.Namespace, out: Output) -> int:
    from presskit.kit.scaffold import copy_example, new_release

    written = copy_example(args.folder) if args.example else new_release(args.folder, args.kit)
    for path in written:
        out.say(f"wrote {_shown(path)}")
    out.say(f"next: presskit check {_shown(args.folder / 'release.yaml')}")
    return EXIT_OK


def run_schema(args: argparse.Namespace, out: Output) -> int:
    from presskit.content.schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK


def run_preview(args: argparse.Namespace, out: Output) -> int:
    from presskit.preview.server import Preview

    Preview(args.content, args.output, args.port).serve()
    return EXIT_OK


def run_import(args: argparse.Namespace, out: Output) -> int:
    from presskit.wordimport.importer import import_word

    report = import_word(args.word, args.content, args.accept_changes, args.dry_run)
    _say_import_notes(report, out)
    if not report.changes:
        out.say(f"no changes to import into {_shown(args.content)} ({report.language})")
        return EXIT_OK
    if args.dry_run:
        print(report.diff, end="")
    fields = ", ".join(change.key_path for change in report.changes)
    verb = "would update" if args.dry_run else "updated"
    out.say(f"{verb} {_shown(args.content)} ({report.language}): {fields}")
    return EXIT_OK


def _say_import_notes(report: Any, out: Output) -> None:
    """The Word file's comments, accepted tracked changes and what was left out."""
    for comment in report.comments:
        passage = f" on “{comment.passage}”" if comment.passage else ""
        out.say(f"comment by {comment.author or 'someone'}{passage}: {comment.text} (not imported)")
    if report.accepted:
        out.say(
            f"accepted {report.accepted.insertions} insertion(s) and "
            f"{report.accepted.deletions} deletion(s) tracked in the Word file"
        )
    for note in report.notes:
        out.say(f"not imported: {note}")


def run_site(args: argparse.Namespace, out: Output) -> int:
    from presskit.newsroom import build_site

    with out.status("building the newsroom"):
        result = build_site(
            args.sources or [current_content()],
            args.output,
            include_embargoed=args.include_embargoed,
            base_url=args.base_url,
            progress=out.detail,
            theme=args.theme,
        )
    _say_site(result, args.output, out)
    _report_site_failures(result.failed)
    return EXIT_FAILURE if result.failed else EXIT_OK


def _say_site(result: Any, folder: Path, out: Output) -> None:
    """What the newsroom left out, removed, built and wrote."""
    for slug in result.embargoed:
        out.say(
            f"left out {slug} (or some of its languages): under embargo "
            "(--include-embargoed to preview it)"
        )
    for path in result.removed:
        out.detail(f"removed {_shown(path)}: no longer part of the site")
    out.say(
        f"{_counted(result.releases, 'release')} in {_shown(folder)}/: "
        f"{_counted(len(result.built), 'kit')} built, {len(result.skipped)} unchanged, "
        f"{_counted(len(result.written), 'page')} written in {result.seconds:.2f} s"
    )


def _report_site_failures(failed: Sequence[tuple[Path, str]]) -> None:
    for content, message in failed:
        shown = message if message.startswith(str(content)) else f"{content}: {message}"
        print(shown, file=sys.stderr)
    if failed:
        print(
            f"{_counted(len(failed), 'release')} could not be "
            "built (each line above says what became of any earlier pages)",
            file=sys.stderr,
        )


def run_mail(args: argparse.Namespace, out: Output) -> int:
    from presskit.mail import run

    job = run.prepare(
        args.content, args.to, args.output, run.read_config(args.config), draft=True,
        theme=args.theme,
    )  # fmt: skip
    _warn(job.warnings)
    paths = run.write_drafts(job)
    for path in paths:
        out.detail(f"wrote {_shown(path)}")
    out.say(f"wrote {_counted(len(paths), 'draft')} in {_shown(job.mail_dir)}/")
    return EXIT_OK


def run_send(args: argparse.Namespace, out: Output) -> int:
    from presskit.mail import run

    config = run.read_config(args.config)
    if args.dry_run and args.resolve:
        raise PresskitError("--resolve writes to the journal: run it without --dry-run")
    settings = None if args.dry_run else _smtp_settings(args, config)
    sending = settings is not None
    job = run.prepare(
        args.content, args.to, args.output, config, draft=False, lock=sending, theme=args.theme
    )
    _warn(job.warnings)
    if settings is None:
        _say_dry_run(job, out)
        return EXIT_OK
    report = run.send(job, settings, progress=not out.quiet, resolutions=args.resolve)
    _say_report(report, out, job.journal_path)
    return EXIT_OK if report.complete else EXIT_FAILURE


def _say_dry_run(job: Any, out: Output) -> None:
    from presskit.mail import run

    for line in run.dry_run(job):
        print(line)
    out.say("dry run: nothing was sent")


def _smtp_settings(args: argparse.Namespace, config: Any) -> Any:
    """The SMTP server and login, asking for the password on a terminal."""
    import getpass

    from presskit.mail import run

    ask = getpass.getpass if sys.stdin.isatty() else None
    return run.smtp_settings(
        args.smtp, config, security=args.tls, cafile=args.cafile, user=args.user,
        per_minute=args.per_minute, ask_password=ask,
    )  # fmt: skip


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"presskit: warning: {warning}", file=sys.stderr)


def _say_report(report: Any, out: Output, journal: Path) -> None:
    """This run in one line, then the whole batch: every recipient not delivered, by name."""
    batch = report.batch
    for address, state in report.already:
        out.detail(f"skipped {address}: {state} in an earlier run")
    _say_undelivered(batch)
    _say_totals(report, out, journal)
    if report.stopped:
        print(f"presskit: error: {report.stopped}; the batch stopped there", file=sys.stderr)


def _say_undelivered(batch: Any) -> None:
    """Every recipient of the batch not delivered, by name, with what to do."""
    for address, reason in batch.refused:
        print(f"refused {address}: {reason}")
    for address, reason in batch.not_sent:
        print(f"not sent {address}: {reason} (run send again to retry)")
    for address in batch.changed:
        print(
            f"not sent {address}: an earlier version of this release was sent; to send a "
            "correction, give the corrected release a new slug"
        )
    for address in batch.uncertain:
        print(
            f"uncertain {address}: the message went to the server but its answer never came; "
            f"check with the recipient or the server's log, then run send again with "
            f"--resolve {address}=delivered (or =resend)"
        )


def _say_totals(report: Any, out: Output, journal: Path) -> None:
    """This run's counts, then the whole batch's."""
    batch = report.batch
    if batch.total and batch.complete and not report.sent:
        # Said in words: a second send (another output folder, outputs deleted) is not
        # an error, and "sent 0" alone could read as a failure.
        out.say(
            f"nothing to send: all {batch.total} recipients already have this release, "
            "sent in an earlier run"
        )
    out.say(
        f"this run: sent {len(report.sent)}, refused {len(report.refused)}, not sent "
        f"{len(report.deferred)}, uncertain {len(report.uncertain)}"
    )
    print(f"{_batch_counts(batch)} (journal: {journal})")


def _batch_counts(batch: Any) -> str:
    return (
        f"batch of {batch.total}: delivered {len(batch.delivered)}, refused "
        f"{len(batch.refused)}, uncertain {len(batch.uncertain)}, not sent "
        f"{len(batch.not_sent) + len(batch.changed)}"
    )


COMMANDS = {
    "build": run_build,
    "check": run_check,
    "new": run_new,
    "schema": run_schema,
    "preview": run_preview,
    "mail": run_mail,
    "send": run_send,
    "import": run_import,
    "site": run_site,
}


def run() -> NoReturn:
    """Console-script entry point: run :func:`main`, then exit at once.

    Every output is written, synced and renamed before ``main`` returns, so the
    interpreter's teardown of the many modules a build imports (a tenth of a small
    build's time) buys nothing: flush the streams and leave. The process is
    presskit's alone, so the collector may also be frozen after start-up, and
    pydantic need not look through every installed package for plugins (which it
    otherwise does at the first model: 40 ms of each command's start).
    """
    from presskit.render import engine

    engine.freeze_after_startup()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return EXIT_INPUT
    out = Output(quiet=args.quiet, verbose=args.verbose)
    try:
        _default_content(args)
        return COMMANDS[args.command](args, out)
    except ContentError as error:
        print(error, file=sys.stderr)  # already one "FILE:LINE: key: message" per line
        return EXIT_INPUT
    except PresskitError as error:
        print(f"presskit: error: {error}", file=sys.stderr)
        return EXIT_FAILURE if _is_failure(error) else EXIT_INPUT
    except KeyboardInterrupt as interruption:
        print(f"presskit: interrupted; {_after_interruption(interruption, args)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # a bug: say so in one line unless debugging
        _report_internal_error(error)
        return EXIT_FAILURE


def _after_interruption(interruption: KeyboardInterrupt, args: argparse.Namespace) -> str:
    """What Ctrl-C left behind, in words."""
    from presskit.util.atomic import InterruptedAfterWriting

    if isinstance(interruption, InterruptedAfterWriting):
        return "the new outputs were all in place"
    if args.command == "send":
        return (
            "the journal holds what was sent: run the same command again to see the whole "
            "batch and send the rest"
        )
    return "earlier outputs are unchanged"


def _report_internal_error(error: Exception) -> None:
    if os.environ.get("PRESSKIT_DEBUG"):
        traceback.print_exc()
    print(
        f"presskit: internal error: {type(error).__name__}: {error} "
        "(set PRESSKIT_DEBUG=1 for details)",
        file=sys.stderr,
    )


def _default_content(args: argparse.Namespace) -> None:
    """A command given no content file takes the current folder's (or refuses)."""
    content = getattr(args, "content", "not a content command")
    if content is None:
        args.content = current_content()
    elif content == []:
        args.content = [current_content()]


def _is_failure(error: PresskitError) -> bool:
    """Writing or sending failed (2), as opposed to a problem in the input (1)."""
    from presskit.mail.journal import BatchBusy, JournalError
    from presskit.mail.send import SendError

    return isinstance(error, BuildError | SendError | BatchBusy | JournalError)
