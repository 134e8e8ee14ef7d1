"""Benchmark: presskit builds against the engine they stand on, and against themselves.

Every comparison is made of paired runs measured in the same session, alternating, so
that the load of a shared machine weighs on both sides alike; each run is a new
process, timed for its wall time and for the CPU time of it and all its children.
Medians are reported, with the ratios the targets are stated in:

- ``presskit build --lang en`` of the example (PDF + DOCX + HTML) against a bare
  ``weasyprint`` run on the same HTML with the same fonts:
  wall <= 0.65x, CPU <= 1.1x (with ``--busy``, also while another process holds a core);
- ``presskit build`` of both languages against two bare ``weasyprint`` runs (the
  French and the English HTML): wall <= 0.5x;
- the example with 200 ecosystems against the same with 5: build wall <= 1.6x,
  ``presskit check`` wall <= 1.3x; one build of 1,000 ecosystems, its peak memory;
- 20 kits in one ``presskit build`` against 20 separate ``presskit build`` runs:
  wall <= 0.35x;
- a warm re-render of the example's PDF by a worker (as the preview does) against
  WeasyPrint's own warm render of the same HTML (``HTML(...).write_pdf()`` repeated in
  one process), alternating: <= 1.1x;
- for information: ``--pdf-profile plain`` (the cost of PDF/A + PDF/UA), and with
  ``--soffice`` a LibreOffice conversion of the same Word file.

The load average is printed before and after. ``benchmarks/bench_preview.py``
measures the preview in a browser.

Usage: python benchmarks/bench_build.py [--rounds N] [--batch-rounds N] [--soffice] [--busy]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "french-tech-hauts-de-france-2019.yaml"
# The release alone: the example without its press kit document (bench_kit.py times it).
RELEASE_TEXT = EXAMPLE.read_text(encoding="utf-8").split("\nkit:\n", 1)[0] + "\n"
Sample = tuple[float, float]  # wall seconds, CPU seconds


def timed(command: list[str], check: bool = True) -> Sample:
    """Wall and CPU time (user + system, the process and every child it waited for).
    ``check=False`` for ``presskit check``, whose exit 1 is an answer, not a fault."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=check, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def timed_all(commands: list[list[str]]) -> Sample:
    samples = [timed(command) for command in commands]
    return sum(s[0] for s in samples), sum(s[1] for s in samples)


def alternate(runs: dict[str, Callable[[], Sample]], rounds: int) -> dict[str, list[Sample]]:
    """Each run once per round, in turn, ``rounds`` times."""
    samples: dict[str, list[Sample]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            samples[name].append(run())
    return samples


def medians(samples: list[Sample]) -> Sample:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def with_ecosystems(text: str, count: int) -> str:
    """The example with its ecosystem list repeated (territories numbered) to ``count``."""
    head, rest = text.split("\necosystems:\n", 1)
    block, tail = rest.split("\nevent:", 1)
    entries = ["  - kind:" + e for e in block.split("  - kind:")[1:]]
    made = []
    for index in range(count):
        entry = entries[index % len(entries)]
        if index >= len(entries):
            entry = re.sub(r"(territory: )(.*)", rf"\g<1>\g<2> {index}", entry, count=1)
        made.append(entry.rstrip("\n") + "\n")
    return head + "\necosystems:\n" + "".join(made) + "\nevent:" + tail


def variants(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the example, each with its own slug."""
    text = RELEASE_TEXT
    shutil.copytree(EXAMPLE.parent / "logos", folder / "logos", dirs_exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"kit-{index:02d}.yaml"
        path.write_text(text.replace("slug: french-tech", f"slug: kit-{index:02d}-french-tech"))
        paths.append(path)
    return paths


def warm_rerenders_ms(built_html: Path, language: str = "en", repeats: int = 20) -> Sample:
    """Median times, in alternation, for a warm worker to lay out the example's page
    again, sent as the preview and a build send it (the page, its stylesheet apart),
    and for WeasyPrint to render the built HTML of that page again in this process."""
    from weasyprint import CSS, HTML

    from presskit.content.loader import load_all
    from presskit.render.html import page_stylesheet, render_html
    from presskit.render.pdf import PdfPool
    from presskit.render.view import build_view

    release = next(r for r in load_all(EXAMPLE) if r.language == language)  # its release
    page = (render_html(build_view(release), inline_css=False), page_stylesheet())
    html, fonts = built_html.read_text(encoding="utf-8"), CSS(ROOT / "templates" / "fonts.css")

    def bare() -> None:
        HTML(string=html, base_url=str(built_html)).write_pdf(stylesheets=[fonts])

    with PdfPool(size=1) as pool:
        pool.submit("pdf", page).result()  # warm-up: fonts, stylesheets, caches
        bare()
        worker, engine = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            pool.submit("pdf", page).result()
            worker.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare()
            engine.append(time.perf_counter() - started)
    return statistics.median(worker) * 1000, statistics.median(engine) * 1000


def peak_memory_mb(command: list[str]) -> float:
    """The largest resident size of ``command`` or of any one of its children, in MB."""
    script = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *command], check=True, capture_output=True, text=True
    )
    return int(done.stdout) / 1024


class Busy:
    """Another process holding one core for as long as the block lasts."""

    def __enter__(self) -> Busy:
        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()


class Report:
    def __init__(self) -> None:
        self.ok = True

    def line(self, name: str, sample: Sample) -> None:
        print(
            f"  {name:<46} {sample[0] * 1000:8.0f} ms wall {sample[1] * 1000:8.0f} ms CPU",
            flush=True,
        )

    def ratio(self, name: str, value: float, target: float | None, unit: str = "x") -> None:
        verdict = ""
        if target is not None:
            met = value <= target
            self.ok = self.ok and met
            verdict = f"(target <= {target:g}{unit}: {'met' if met else 'MISSED'})"
        shown = f"{value:8.2f}{unit}" if unit == "x" else f"{value:8.0f} {unit}"
        print(f"  {name:<46} {shown}  {verdict}", flush=True)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=7, help="rounds of the single builds")
    options.add_argument("--batch-rounds", type=int, default=3, help="rounds of the 20 kits")
    options.add_argument("--soffice", action="store_true", help="also time LibreOffice")
    options.add_argument("--only", choices=("single", "batch", "warm"), help="run one section only")
    options.add_argument(
        "--busy", action="store_true", help="also time the one-language build beside a busy core"
    )
    arguments = options.parse_args()
    print(f"load average at start: {load()}", flush=True)
    # As installed (make kit): presskit's bytecode up to date, not compiled per run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["PRESSKIT_CACHE_DIR"] = str(work / "cache")
        example = work / "example.yaml"
        example.write_text(RELEASE_TEXT, encoding="utf-8")
        shutil.copytree(EXAMPLE.parent / "logos", work / "logos")
        build = [str(BIN / "presskit"), "build", "-o", str(work / "out")]
        subprocess.run([*build[:2], str(example), "-q", "-o", str(work / "ref")], check=True)
        html = {lang: next((work / "ref").rglob(f"{lang}/*.html")) for lang in ("fr", "en")}
        if arguments.only in (None, "single"):
            single_builds(work, build, html, arguments, report)
        if arguments.only in (None, "batch"):
            batch_builds(work, build, arguments.batch_rounds, report)
        if arguments.only in (None, "warm"):
            worker, engine = warm_rerenders_ms(html["en"])
            report.ratio("warm PDF re-render by a worker", worker, None, "ms")
            report.ratio("warm weasyprint render, same HTML", engine, None, "ms")
            report.ratio("warm re-render / weasyprint's warm render", worker / engine, 1.1)
    print(f"load average at end: {load()}")
    print("all targets met" if report.ok else "some targets missed")
    return 0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def single_builds(
    work: Path, build: list[str], html: dict[str, Path], arguments: Any, report: Report
) -> None:
    def weasyprint(lang: str) -> list[str]:
        fonts = str(ROOT / "templates" / "fonts.css")
        return [str(BIN / "weasyprint"), "-s", fonts, str(html[lang]), str(work / "w.pdf")]

    small, large, huge = work / "eco-5.yaml", work / "eco-200.yaml", work / "eco-1000.yaml"
    text = RELEASE_TEXT
    example = str(work / "example.yaml")
    small.write_text(with_ecosystems(text, 5))
    large.write_text(with_ecosystems(text, 200))
    huge.write_text(with_ecosystems(text, 1000))
    check = [str(BIN / "presskit"), "check", "-q"]
    runs: dict[str, Callable[[], Sample]] = {
        "weasyprint (en HTML)": lambda: timed(weasyprint("en")),
        "presskit build --lang en": lambda: timed([*build, example, "--lang", "en"]),
        "weasyprint fr + weasyprint en (two runs)": lambda: timed_all(
            [weasyprint("fr"), weasyprint("en")]
        ),
        "presskit build (fr + en, 7 files)": lambda: timed([*build, example]),
        "presskit build --lang en --pdf-profile plain": lambda: timed(
            [*build, example, "--lang", "en", "--pdf-profile", "plain"]
        ),
        "presskit build, 5 ecosystems": lambda: timed([*build, str(small)]),
        "presskit build, 200 ecosystems": lambda: timed([*build, str(large)]),
        "presskit check, 5 ecosystems": lambda: timed([*check, str(small)], check=False),
        "presskit check, 200 ecosystems": lambda: timed([*check, str(large)], check=False),
    }
    if arguments.soffice and shutil.which("soffice"):
        docx = next((work / "ref").rglob("en/*.docx"))
        soffice = [
            "soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{work}/lo",
            "--convert-to", "pdf", "--outdir", str(work / "lo-out"), str(docx),
        ]  # fmt: skip
        timed(soffice)  # the first start creates LibreOffice's profile
        runs["soffice --convert-to pdf (same DOCX)"] = lambda: timed(soffice)
    m = {name: medians(v) for name, v in alternate(runs, arguments.rounds).items()}
    print(f"medians of {arguments.rounds} alternating rounds (load now {load()}):")
    for name, sample in m.items():
        report.line(name, sample)
    one, bare = m["presskit build --lang en"], m["weasyprint (en HTML)"]
    report.ratio("build --lang en / weasyprint, wall", one[0] / bare[0], 0.65)
    report.ratio("build --lang en / weasyprint, CPU", one[1] / bare[1], 1.1)
    both = m["presskit build (fr + en, 7 files)"]
    two = m["weasyprint fr + weasyprint en (two runs)"]
    report.ratio("bilingual build / two weasyprint runs, wall", both[0] / two[0], 0.5)
    report.ratio("bilingual build / two weasyprint runs, CPU", both[1] / two[1], None)
    plain = m["presskit build --lang en --pdf-profile plain"]
    report.ratio("PDF/A + PDF/UA build / plain build, wall", one[0] / plain[0], None)
    eco = m["presskit build, 200 ecosystems"][0] / m["presskit build, 5 ecosystems"][0]
    report.ratio("200 ecosystems / 5 ecosystems, wall", eco, 1.6)
    checks = m["presskit check, 200 ecosystems"][0] / m["presskit check, 5 ecosystems"][0]
    report.ratio("check of 200 / check of 5, wall", checks, 1.3)
    peak = peak_memory_mb([*build, str(huge), "-q"])
    report.ratio("build of 1,000 ecosystems, peak memory", peak, None, "MB")
    if arguments.busy:
        busy_builds(build, example, weasyprint, arguments.rounds, report)
    if "soffice --convert-to pdf (same DOCX)" in m:
        lo = m["soffice --convert-to pdf (same DOCX)"]
        report.ratio("build --lang en / soffice, wall", one[0] / lo[0], None)


def busy_builds(
    build: list[str],
    example: str,
    weasyprint: Callable[[str], list[str]],
    rounds: int,
    report: Report,
) -> None:
    runs: dict[str, Callable[[], Sample]] = {
        "weasyprint (en HTML), a core busy": lambda: timed(weasyprint("en")),
        "presskit build --lang en, a core busy": lambda: timed([*build, example, "--lang", "en"]),
    }
    with Busy():
        m = {name: medians(v) for name, v in alternate(runs, rounds).items()}
    print(f"medians of {rounds} alternating rounds beside a busy core (load now {load()}):")
    for name, sample in m.items():
        report.line(name, sample)
    one, bare = m["presskit build --lang en, a core busy"], m["weasyprint (en HTML), a core busy"]
    report.ratio("busy: build --lang en / weasyprint, wall", one[0] / bare[0], 0.65)
    report.ratio("busy: build --lang en / weasyprint, CPU", one[1] / bare[1], 1.1)


def batch_builds(work: Path, build: list[str], rounds: int, report: Report) -> None:
    kits = variants(work / "kits", 20)
    runs: dict[str, Callable[[], Sample]] = {
        "20 x presskit build (one kit each)": lambda: timed_all(
            [[*build, "-q", str(path)] for path in kits]
        ),
        "presskit build of the 20 kits at once": lambda: timed([*build, "-q", str(work / "kits")]),
    }
    m = {name: medians(v) for name, v in alternate(runs, rounds).items()}
    print(f"medians of {rounds} alternating rounds (load now {load()}):")
    for name, sample in m.items():
        report.line(name, sample)
    ratio = (
        m["presskit build of the 20 kits at once"][0] / m["20 x presskit build (one kit each)"][0]
    )
    report.ratio("20 kits in one command / 20 commands, wall", ratio, 0.35)


if __name__ == "__main__":
    raise SystemExit(main())
