"""Builds on worker processes: no subprocess, same bytes, many kits, limits, signals."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from presskit.assets.resources import DEFAULT_CONTENT
from presskit.cli import main
from presskit.kit.build import build, build_many
from presskit.render import pdf as pdf_module
from presskit.render.html import page_stylesheet, render_html
from presskit.render.pdf import PdfRenderer
from presskit.render.view import build_view
from presskit.util import atomic
from presskit.util.errors import BuildError, ContentError

from .conftest import AURA, MINIMAL, interruptible, write_content

GERMAN = Path(__file__).parent / "fixtures" / "german" / "release.yaml"

AUDIT = """
import json, sys
log = open(sys.argv[1], "a")
SPAWNS = ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.system")
def hook(event, args):
    if event in SPAWNS:
        log.write(json.dumps([event, repr(args[0])[:80]]) + "\\n")
        log.flush()
sys.addaudithook(hook)  # inherited by the forked workers
from presskit.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_build_spawns_no_process(tmp_path: Path) -> None:
    """WeasyPrint's library lookup used to run ldconfig, gcc and ld some 50 times."""
    log = tmp_path / "spawned.jsonl"
    log.touch()
    environment = {**os.environ, "PRESSKIT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # without, then with the hyphenation cache
        subprocess.run(
            [sys.executable, "-c", AUDIT, str(log), "build", str(DEFAULT_CONTENT), "-q",
             "-o", str(tmp_path / "out")],
            check=True, env=environment, timeout=300,
        )  # fmt: skip
    assert [json.loads(line) for line in log.read_text().splitlines()] == []
    assert (
        len(list((tmp_path / "out").rglob("*.pdf"))) == 4
    )  # the release and its kit document, in each language


@pytest.mark.parametrize("content", [DEFAULT_CONTENT, AURA, GERMAN], ids=["example", "aura", "de"])
def test_parallel_workers_write_the_bytes_of_a_plain_in_process_render(
    content: Path, tmp_path: Path
) -> None:
    """The pool, the caches, the stylesheet given apart and the start-up shortcuts
    change no byte of the PDF: for the example, twelve French ecosystems with logos
    of every shape (an SVG among them), and a German release."""
    from presskit.content.loader import load_all

    result = build(content, tmp_path / "pool", ["pdf", "html"])
    renderer = PdfRenderer()
    for release in load_all(content):
        [pdf] = [
            o.path for o in result.outputs if o.language == release.language and o.format == "pdf"
        ]
        pictures: dict[str, tuple[bytes, str]] = {}
        page = render_html(build_view(release), inline_css=False, pictures=pictures)
        assert pdf.read_bytes() == renderer.render(page, page_stylesheet(), pictures)


ORDINARY_RENDER = """
import sys
import weasyprint  # the ordinary import: cffi parses the declarations, find_library runs
from presskit.content.loader import load_all
from presskit.render.html import page_stylesheet, render_html
from presskit.render.pdf import PdfRenderer
from presskit.render.view import build_view
from pathlib import Path
release = next(r for r in load_all(Path(sys.argv[1])) if r.language == "en")
pictures = {}
page = render_html(build_view(release), inline_css=False, pictures=pictures)
sys.stdout.buffer.write(PdfRenderer().render(page, page_stylesheet(), pictures))
"""
COMPILED_RENDER = """
import sys
from presskit.render import engine
engine.import_weasyprint()
import weasyprint.text.ffi
print(type(weasyprint.text.ffi.ffi).__module__, "pycparser" in sys.modules)
"""


def test_compiled_declarations_are_cached_and_change_no_byte(tmp_path: Path) -> None:
    """WeasyPrint's C declarations come compiled from the cache (no C parser loaded),
    and the PDF is the one an ordinary import of WeasyPrint makes."""
    environment = {**os.environ, "PRESSKIT_CACHE_DIR": str(tmp_path / "cache")}
    result = build(DEFAULT_CONTENT, tmp_path / "out", ["pdf", "html"], ["en"])
    pdf = next(o.path for o in result.outputs if o.format == "pdf")
    ordinary = subprocess.run(
        [sys.executable, "-c", ORDINARY_RENDER, str(DEFAULT_CONTENT)],
        capture_output=True, check=True, env=environment, timeout=300,
    )  # fmt: skip
    assert ordinary.stdout == pdf.read_bytes()
    for run in ("compiled, cached and loaded", "loaded from the cache"):
        shown = subprocess.run(
            [sys.executable, "-c", COMPILED_RENDER],
            capture_output=True, text=True, check=True, env=environment, timeout=300,
        ).stdout.split()  # fmt: skip
        assert shown[0] == "_cffi_backend", run
    assert shown[1] == "False"  # from the cache: pycparser was never imported
    assert len(list((tmp_path / "cache" / "cffi").glob("declarations-*"))) == 1


def test_the_cache_folder_changes_no_byte_and_is_never_needed(tmp_path: Path) -> None:
    """First build (cache made), second (cache read), one whose cache folder cannot
    be made, and one whose every cached entry is damaged: the same files, for the
    example and for twelve logos of every shape."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    runs = {"cold": tmp_path / "cache", "warm": tmp_path / "cache", "none": blocked}
    runs["damaged"] = tmp_path / "cache"  # every entry overwritten below
    for name, cache in runs.items():
        if name == "damaged":
            for entry in (p for p in cache.rglob("*") if p.is_file()):
                entry.write_bytes(entry.read_bytes()[:20] + b"\x00 not what was kept")
        subprocess.run(
            [sys.executable, "-m", "presskit", "build", "-q", "-o", str(tmp_path / name),
             str(DEFAULT_CONTENT), str(AURA)],
            check=True, timeout=300, env={**os.environ, "PRESSKIT_CACHE_DIR": str(cache)},
        )  # fmt: skip
    files = sorted(p.relative_to(tmp_path / "cold") for p in (tmp_path / "cold").rglob("*.*"))
    assert {p.suffix for p in files} >= {".pdf", ".docx", ".html", ".zip"}
    for name in ("warm", "none", "damaged"):
        for file in files:
            assert (tmp_path / name / file).read_bytes() == (tmp_path / "cold" / file).read_bytes()
    kept = {p.parent.name for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert kept >= {"templates", "images", "hyphenation", "cffi"}


def test_an_unwritable_cache_leaves_weasyprint_its_ordinary_declarations(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    shown = subprocess.run(
        [sys.executable, "-c", COMPILED_RENDER],
        capture_output=True, text=True, check=True, timeout=300,
        env={**os.environ, "PRESSKIT_CACHE_DIR": str(blocked)},
    ).stdout.split()  # fmt: skip
    assert shown[0] == "cffi.api"


def test_many_kits_in_one_process_match_single_builds(content_dir: Path, tmp_path: Path) -> None:
    french = write_content(
        content_dir,
        MINIMAL.replace("A headline", "Un titre").replace("issuer:", "languages: [fr]\nissuer:"),
        "fr.yaml",
    )
    broken = write_content(content_dir, MINIMAL.replace("  date: 2019-04-03", "  date: 2019-02-30"))
    same_slug = write_content(content_dir, MINIMAL.replace("Example Org", "Other Org"), "b.yaml")
    outcomes = build_many([DEFAULT_CONTENT, broken, french, same_slug], tmp_path / "many")
    assert [o.content for o in outcomes] == [DEFAULT_CONTENT, broken, french, same_slug]
    assert outcomes[0].result is not None and outcomes[2].result is not None
    assert isinstance(outcomes[1].error, ContentError)
    assert "dateline.date" in str(outcomes[1].error)
    assert outcomes[3].result is not None  # the broken one never claimed its slug
    single = build(french, tmp_path / "single")
    for a, b in zip(outcomes[2].result.outputs, single.outputs, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name


def test_a_slug_taken_twice_in_a_batch_is_refused(content_dir: Path, tmp_path: Path) -> None:
    first = write_content(content_dir, MINIMAL, "a.yaml")
    second = write_content(content_dir, MINIMAL.replace("Example Org", "Other Org"), "b.yaml")
    outcomes = build_many([first, second], tmp_path, ["html"])
    assert outcomes[0].result is not None
    assert outcomes[1].error is not None
    assert f"already used by {first}" in str(outcomes[1].error)


def test_the_command_builds_a_folder_and_reports_each_failure(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_content(content_dir, MINIMAL, "a.yaml")
    write_content(content_dir, MINIMAL.replace("A headline", "Second one"), "b.yaml")
    write_content(content_dir, "headline: [", "c.yaml")
    status = main(["build", str(content_dir), "-o", str(tmp_path), "--format", "html"])
    captured = capsys.readouterr()
    assert status == 1
    assert "c.yaml" in captured.err
    assert "built 2 kits, 1 failed" in captured.out
    assert (tmp_path / "a-headline" / "en" / "a-headline.html").is_file()
    assert (tmp_path / "second-one" / "en" / "second-one.html").is_file()


# -- limits --------------------------------------------------------------------------


def test_theme_templates_run_under_the_memory_limit(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module, "MEMORY_LIMIT_MB", 600)
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "press-release.html.j2").write_text("<html lang=en>{{ 'x' * 1500000000 }}</html>")
    path = write_content(content_dir, MINIMAL)
    with pytest.raises(BuildError, match="the theme's templates needed more than 600 MB"):
        build(path, tmp_path / "out", ["html"], theme=theme)
    assert not (tmp_path / "out").exists()


def test_check_lays_out_under_the_time_limit(
    content_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pdf_module, "RENDER_SECONDS", 0.01)
    path = write_content(content_dir, MINIMAL)
    assert main(["check", str(path)]) == 2
    assert "took longer than 0 s" in capsys.readouterr().err


def _parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("PPid:")).split()[1])


def test_the_workers_are_forks_of_one_warm_zygote() -> None:
    """WeasyPrint starts once per pool: each worker is a fork of the zygote, which
    is this process's child; a replaced worker comes from it too."""
    from presskit.render.pdf import PdfPool

    page = "<!DOCTYPE html><html lang=en><title>t</title><p>{}</p></html>"
    with PdfPool(size=2, profile="plain", timeout=0.5) as pool:
        workers = [worker._process for worker in pool._workers]
        for worker in workers:
            worker.is_alive()  # forked: the zygote has finished starting
        jobs = [pool.submit("pdf", page.format(n)) for n in range(2)]
        assert all(job.result().startswith(b"%PDF") for job in jobs)
        zygote = pool._zygote._process.pid
        assert all(w.is_alive() for w in workers)
        assert {_parent_of(w.pid) for w in workers} == {zygote}
        assert _parent_of(zygote) == os.getpid()
        # Far beyond the limit even if this process stalls between submit and result.
        slow = pool.submit("pdf", page.format("x " * 1_000_000))
        with pytest.raises(BuildError, match="took longer"):
            slow.result()
        after = pool.submit("pdf", page.format("after"))
        assert after.result().startswith(b"%PDF")
        replaced = [worker._process for worker in pool._workers]
        for worker in replaced:
            worker.is_alive()  # learns its process id from the zygote
        assert {_parent_of(w.pid) for w in replaced} == {zygote}
        os.kill(zygote, signal.SIGKILL)  # its workers go with it; a new one takes over
        for worker in replaced:
            worker.join(timeout=10)
        again = pool.submit("pdf", page.format("again"))
        for worker in pool._workers:
            worker._process.is_alive()  # learns its process id: the new zygote has started
        assert again.result().startswith(b"%PDF")
        assert pool._zygote._process.pid != zygote
    assert all(not w.is_alive() for w in workers + replaced)


def test_a_dead_worker_fails_only_its_own_page() -> None:
    from presskit.render.pdf import PdfPool

    page = "<!DOCTYPE html><html lang=en><title>t</title><p>{}</p></html>"
    with PdfPool(size=1, profile="plain", timeout=0.5) as pool:
        # Far beyond the limit even if this process stalls between submit and result.
        slow = pool.submit("pdf", page.format("x " * 1_000_000))
        after = pool.submit("pdf", page.format("fine"))
        with pytest.raises(BuildError, match="took longer"):
            slow.result()
        assert after.result().startswith(b"%PDF")


# -- writing -------------------------------------------------------------------------


def test_ctrl_c_during_the_renames_lets_the_set_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [(tmp_path / f"{name}.bin", name.encode()) for name in ("a", "b", "c")]
    for path, _ in files:
        path.write_bytes(b"old")
    real_replace = os.replace

    def replace_then_interrupt(source: str, target: Path, **dir_fds: int) -> None:
        real_replace(source, target, **dir_fds)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C right after the first rename

    monkeypatch.setattr(atomic.os, "replace", replace_then_interrupt)
    with pytest.raises(atomic.InterruptedAfterWriting):
        atomic.write_all(files)
    assert [path.read_bytes() for path, _ in files] == [b"a", b"b", b"c"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_message_after_a_late_ctrl_c_says_the_new_outputs_are_in_place(
    content_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_replace = os.replace

    def replace_then_interrupt(source: str, target: Path, **dir_fds: int) -> None:
        real_replace(source, target, **dir_fds)
        if not dir_fds:  # atomic's renames; the disk cache's (a cold one) renames by folder
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(atomic.os, "replace", replace_then_interrupt)
    path = write_content(content_dir, MINIMAL)
    assert main(["build", str(path), "-o", str(tmp_path), "--format", "html,docx"]) == 130
    assert "the new outputs were all in place" in capsys.readouterr().err
    assert (tmp_path / "a-headline" / "en" / "a-headline.docx").is_file()


def test_temporary_files_of_a_killed_build_are_removed_by_the_next(
    content_dir: Path, tmp_path: Path
) -> None:
    path = write_content(content_dir, MINIMAL)
    folder = tmp_path / "a-headline" / "en"
    folder.mkdir(parents=True)
    stale = folder / ".a-headline.pdf.k2j4x8.tmp"
    stale.write_bytes(b"half a PDF")
    build(path, tmp_path, ["html"])
    assert not stale.exists()


# -- signals -------------------------------------------------------------------------


def long_release(folder: Path) -> Path:
    """The example with its ecosystem list written out 40 times (territories
    numbered): a build still laying out a second in."""
    import shutil

    text = DEFAULT_CONTENT.read_text(encoding="utf-8")
    head, rest = text.split("\necosystems:\n", 1)
    block, tail = rest.split("\nevent:", 1)
    copies = [re.sub(r"(territory: .*)", rf"\g<1> {n}", block.rstrip("\n")) for n in range(40)]
    shutil.copytree(DEFAULT_CONTENT.parent / "logos", folder / "logos")
    long = head + "\necosystems:\n" + "\n".join(copies) + "\n\nevent:" + tail
    return write_content(folder, long)


def test_sigterm_leaves_no_worker_and_no_traceback(tmp_path: Path) -> None:
    content = long_release(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "build", str(content), "-o", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.0)  # the workers are up and laying out
    process.send_signal(signal.SIGTERM)
    # The workers hold the same pipes: they close only once every worker has gone.
    _, err = process.communicate(timeout=20)
    assert process.returncode == -signal.SIGTERM
    assert "Traceback" not in err


def test_ctrl_c_of_the_terminal_reaches_the_workers_silently(tmp_path: Path) -> None:
    content = long_release(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "build", str(content), "-o", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=interruptible,
    )  # fmt: skip
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole group
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.strip().startswith("presskit: interrupted")


def test_no_worker_outlives_a_build() -> None:
    script = textwrap.dedent(
        """
        import multiprocessing, sys, tempfile
        from pathlib import Path
        from presskit.kit.build import build
        from presskit.assets.resources import DEFAULT_CONTENT
        build(DEFAULT_CONTENT, Path(tempfile.mkdtemp()))
        print(len(multiprocessing.active_children()))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
