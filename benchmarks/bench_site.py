"""Benchmark: the newsroom (``presskit site``) against separate ``presskit build`` runs.

A folder of N releases in two languages (the built-in example's release, without its
press kit document, under N slugs, with its logos) is built:

- N times with ``presskit build`` as a new process each, one after the other: what a
  shell loop over the releases would cost;
- once with ``presskit site`` into an empty folder (one process, warm workers);

then one release's headline is edited and the site is built again (only that kit is
rebuilt), alternating with a ``presskit build`` of that one release, ``--rounds``
times; last, the site's folder is deleted and built again whole, which must give the
site brought up to date byte for byte (``SOURCE_DATE_EPOCH`` fixed: the correction is
dated alike in both). Prints the times and the ratios the targets are stated in:
site from scratch <= 0.35x the separate builds; rerun after one edit <= 2x one build.

Usage: python benchmarks/bench_site.py [--releases N] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "french-tech-hauts-de-france-2019.yaml"
EXAMPLE_SLUG = "slug: french-tech-hauts-de-france-2019"
HEADLINE = "\nheadline:\n  fr: "


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def make_releases(folder: Path, count: int) -> list[Path]:
    """``count`` content files in two languages, each with its own slug."""
    shutil.copytree(ROOT / "examples" / "logos", folder / "logos")
    text = EXAMPLE.read_text(encoding="utf-8").split("\nkit:\n", 1)[0] + "\n"
    assert EXAMPLE_SLUG in text and HEADLINE in text
    paths = []
    for index in range(1, count + 1):
        path = folder / f"release-{index:03d}.yaml"
        path.write_text(text.replace(EXAMPLE_SLUG, f"slug: release-{index:03d}"), encoding="utf-8")
        paths.append(path)
    return paths


def change(path: Path, round_number: int) -> None:
    """A correction of the French headline: a new version of that release only."""
    text = path.read_text(encoding="utf-8")
    fixed = text.replace(HEADLINE, f"{HEADLINE}({round_number}) ", 1)
    path.write_text(fixed, encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    presskit = str(BIN / "presskit")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # the corrections' date, in both sites
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        contents = make_releases(work / "releases", args.releases)
        separate = sum(
            timed([presskit, "build", str(path), "-o", str(work / "builds"), "-q"])
            for path in contents
        )
        print(f"{args.releases} separate presskit build runs: {separate:.2f} s", flush=True)
        scratch = timed([presskit, "site", str(work / "releases"), "-o", str(work / "site"), "-q"])
        print(f"presskit site from scratch: {scratch:.2f} s", flush=True)
        one_build, rerun = [], []
        for round_number in range(1, args.rounds + 1):
            change(contents[0], round_number)
            rerun.append(
                timed([presskit, "site", str(work / "releases"), "-o", str(work / "site"), "-q"])
            )
            one_build.append(
                timed([presskit, "build", str(contents[0]), "-o", str(work / "one"), "-q"])
            )
        # The full rebuild: the folder deleted and built again whole, where the same
        # newsroom's history (what was corrected, and when) is still known.
        updated = files_of(work / "site")
        shutil.rmtree(work / "site")
        timed([presskit, "site", str(work / "releases"), "-o", str(work / "site"), "-q"])
        same = updated == files_of(work / "site")
    n = args.releases
    print(f"{n} releases x 2 languages")
    print(f"  {n} separate presskit build runs: {separate:7.2f} s ({separate / n:.2f} s each)")
    print(f"  presskit site from scratch:       {scratch:7.2f} s")
    print(f"  ratio: {scratch / separate:.2f}x  (target <= 0.35x)")
    print(f"after one release changed ({args.rounds} paired rounds, medians)")
    print(f"  presskit build of that release:   {statistics.median(one_build):7.2f} s")
    print(f"  presskit site rerun:              {statistics.median(rerun):7.2f} s")
    print(
        f"  ratio: {statistics.median(rerun) / statistics.median(one_build):.2f}x  (target <= 2x)"
    )
    print(f"  the site brought up to date equals a full rebuild, byte for byte: {same}")


if __name__ == "__main__":
    main()
