"""Benchmark: a whole `presskit build` against the tools it stands on.

Measured in the same run, alternating, so that machine load affects all alike:

- ``presskit build --lang en`` of the example (PDF + DOCX + HTML), as a new process;
- a bare ``weasyprint`` command rendering the same HTML with the same fonts;
- ``soffice --headless --convert-to pdf`` of the same DOCX;
- ``presskit build`` of both languages (French and English), for information;
- the same one-language build with ``--pdf-profile plain``: the cost of PDF/A + PDF/UA
  (target: at most 20 % more);

and, in-process, a warm re-render of the PDF (fonts and stylesheets already loaded).
Prints medians and the ratios the targets are stated in:
build <= 1.25x weasyprint, build <= 1.0x LibreOffice, warm re-render <= 150 ms.

Usage: python benchmarks/bench_build.py [--rounds N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def prepare(work: Path) -> tuple[Path, Path]:
    """Build the example once; return its HTML and DOCX."""
    subprocess.run(
        [str(BIN / "presskit"), "build", "-o", str(work / "ref")], check=True, capture_output=True
    )
    html = next((work / "ref").rglob("en/*.html"))
    docx = next((work / "ref").rglob("en/*.docx"))
    return html, docx


def warm_rerender_ms(html_path: Path, repeats: int = 15) -> float:
    from presskit.render.pdf import PdfRenderer

    html = html_path.read_text(encoding="utf-8")
    renderer = PdfRenderer()
    renderer.render(html)  # warm-up: fonts, stylesheets, caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        renderer.render(html)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=7)
    options.add_argument("--verbose", action="store_true", help="print every sample")
    arguments = options.parse_args()
    rounds = arguments.rounds
    soffice = shutil.which("soffice")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        html, docx = prepare(work)
        presskit = [str(BIN / "presskit"), "build", "-o", str(work / "out")]
        commands = {
            "presskit build --lang en (pdf+docx+html)": [*presskit, "--lang", "en"],
            "same, --pdf-profile plain (untagged)": [
                *presskit,
                "--lang",
                "en",
                "--pdf-profile",
                "plain",
            ],
            "weasyprint (same HTML)": [
                str(BIN / "weasyprint"),
                "-s",
                str(ROOT / "templates" / "fonts.css"),
                str(html),
                str(work / "bare.pdf"),
            ],
        }
        if soffice:
            commands["soffice --convert-to pdf (same DOCX)"] = [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{work}/lo",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "lo-out"),
                str(docx),
            ]
            # The first start creates LibreOffice's profile: not part of the timing.
            timed(commands["soffice --convert-to pdf (same DOCX)"])
        commands["presskit build, fr + en (6 files)"] = presskit
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                samples[name].append(timed(command))
        warm = warm_rerender_ms(html)

    medians = {name: statistics.median(times) for name, times in samples.items()}
    if arguments.verbose:
        for name, times in samples.items():
            print(name, [round(t * 1000) for t in times])
    print(f"{rounds} alternating rounds, medians:")
    for name, median in medians.items():
        print(f"  {name:<40} {median * 1000:8.0f} ms")
    build = medians["presskit build --lang en (pdf+docx+html)"]
    ratio_wp = build / medians["weasyprint (same HTML)"]
    print(f"  build / weasyprint                       {ratio_wp:8.2f}x  (target <= 1.25x)")
    ok = ratio_wp <= 1.25
    if soffice:
        ratio_lo = build / medians["soffice --convert-to pdf (same DOCX)"]
        print(f"  build / soffice                          {ratio_lo:8.2f}x  (target <= 1.00x)")
        ok = ok and ratio_lo <= 1.0
    ratio_ua = build / medians["same, --pdf-profile plain (untagged)"]
    print(f"  PDF/A + PDF/UA build / plain build       {ratio_ua:8.2f}x  (target <= 1.20x)")
    ok = ok and ratio_ua <= 1.20
    print(f"  warm in-process PDF re-render            {warm:8.0f} ms  (target <= 150 ms)")
    ok = ok and warm <= 150
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
