"""Benchmark: the press kit document (dossier de presse) against the engine it stands on.

Paired runs in the same session, alternating, each a new process timed for its wall
time and the CPU time of it and its children; medians. The content is the tests'
twelve-hub programme (tests/kit_fixtures.py: long and short profiles, figures,
portraits, partners, photos), in English:

- what the kit adds to a build (the build with its ``kit`` section less the same build
  without it) against a bare ``weasyprint`` run on the kit's own HTML: <= 1.0x;
- the whole build (release and kit, PDF, Word and HTML) against two bare
  ``weasyprint`` runs (the release's HTML and the kit's), for information;
- the 50-hub kit's time per page against the 12-hub kit's: <= 1.3x (no step that
  grows faster than the pages).

Usage: python benchmarks/bench_kit.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_build import BIN, ROOT, Report, alternate, load, medians, timed, timed_all

sys.path.insert(0, str(ROOT))
from tests.kit_fixtures import kit_content


def without_kit(content: Path) -> Path:
    """The same content without its ``kit`` section (so without a kit document)."""
    text = content.read_text(encoding="utf-8")
    head, rest = text.split("\nkit:\n", 1)
    ecosystems = rest[rest.index("\necosystems:\n") :]
    path = content.with_name("release-only.yaml")
    path.write_text(head + ecosystems, encoding="utf-8")
    return path


def pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=5)
    arguments = options.parse_args()
    print(f"load average at start: {load()}", flush=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["PRESSKIT_CACHE_DIR"] = str(work / "cache")
        twelve = kit_content(work / "twelve", 12)
        fifty = kit_content(work / "fifty", 50)
        plain = without_kit(twelve)
        build = [str(BIN / "presskit"), "build", "-q", "--lang", "en", "-o", str(work / "out")]
        reference = work / "ref"
        for content in (twelve, fifty):
            subprocess.run([*build[:-1], str(reference), str(content)], check=True)
        kit_html = next(reference.rglob("northern-hubs-12/en/*-press-kit.html"))
        release_html = reference / "northern-hubs-12" / "en" / "northern-hubs-12.html"
        fonts = str(ROOT / "templates" / "fonts.css")

        def weasyprint(html: Path) -> list[str]:
            return [str(BIN / "weasyprint"), "-s", fonts, str(html), str(work / "w.pdf")]

        runs = {
            "weasyprint (the kit's HTML)": lambda: timed(weasyprint(kit_html)),
            "weasyprint release + weasyprint kit": lambda: timed_all(
                [weasyprint(release_html), weasyprint(kit_html)]
            ),
            "presskit build, 12 hubs, no kit": lambda: timed([*build, str(plain)]),
            "presskit build, 12 hubs, with kit": lambda: timed([*build, str(twelve)]),
            "presskit build, 50 hubs, with kit": lambda: timed([*build, str(fifty)]),
        }
        m = {name: medians(v) for name, v in alternate(runs, arguments.rounds).items()}
        print(f"medians of {arguments.rounds} alternating rounds (load now {load()}):")
        for name, sample in m.items():
            report.line(name, sample)
        bare = m["weasyprint (the kit's HTML)"]
        added = [
            m["presskit build, 12 hubs, with kit"][i] - m["presskit build, 12 hubs, no kit"][i]
            for i in (0, 1)
        ]
        report.ratio("kit added to a build / weasyprint kit, wall", added[0] / bare[0], 1.0)
        report.ratio("kit added to a build / weasyprint kit, CPU", added[1] / bare[1], None)
        whole, two = (
            m["presskit build, 12 hubs, with kit"],
            m["weasyprint release + weasyprint kit"],
        )
        report.ratio("build with kit / two weasyprint runs, wall", whole[0] / two[0], None)
        report.ratio("build with kit / two weasyprint runs, CPU", whole[1] / two[1], None)
        count12 = pages(next(reference.rglob("northern-hubs-12/en/*-press-kit.pdf")))
        count50 = pages(next(reference.rglob("northern-hubs-50/en/*-press-kit.pdf")))
        per_page = (m["presskit build, 50 hubs, with kit"][0] / count50) / (whole[0] / count12)
        print(f"  kit pages: 12 hubs {count12}, 50 hubs {count50}")
        report.ratio("50-hub kit / 12-hub kit, wall per page", per_page, 1.3)
    print(f"load average at end: {load()}")
    print("all targets met" if report.ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
