"""Draw the guide's pictures (docs/img/*.png) from real outputs of the example.

Every picture in the guide is a page presskit made: this script builds the built-in
example (and a release started with ``presskit new``) into a temporary folder, as a
user would, and turns chosen pages into PNG: the PDFs with pdftoppm, the Word file
through LibreOffice (as a recipient without Word opens it), the e-mail and the
newsroom with headless Chromium. Pictures are 100 dpi and reduced to 128 colours, so
that the committed set stays small. Run ``make guide-pictures`` from the repository
root after a change to the theme, the example or the newsroom, and commit the PNGs.
"""

from __future__ import annotations

import email
import email.policy
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from presskit.cli import main as presskit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
DPI = 100
COLOURS = 128
RECIPIENTS = "email,name,outlet,language\njane@example.org,Jane Doe,Example Daily,en\n"
MAIL_CONFIG = "from: Press office <press@example.org>\n"  # the example names no sender
# A theme of two files, shown beside the built-in look in themes.md (the same lines
# are given there as the example).
THEME_WORDS = "press_release: News release\n"
THEME_ACCENT = ("--accent: #d3000f;", "--accent: #0b6e4f;")
# Headless, as root, without a profile's first-run pages or extensions.
CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def build(work: Path, argv: list[str]) -> None:
    """Run one presskit command as a user would, stopping at the first failure."""
    status = presskit([*argv, "--quiet"])
    if status != 0:
        sys.exit(f"presskit {' '.join(argv)} failed with status {status}")


def page(pdf: Path, number: int, dpi: int = DPI) -> Image.Image:
    """Page ``number`` of ``pdf`` as a picture."""
    done = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-png", str(pdf)],
        check=True,
        capture_output=True,
    )
    return Image.open(io.BytesIO(done.stdout)).convert("RGB")


def word_as_pdf(docx: Path, work: Path) -> Path:
    """The Word file as LibreOffice lays it out, with a profile of its own."""
    profile = (work / "lo-profile").as_uri()
    options = ["--headless", "--convert-to", "pdf", "--outdir", str(work / "word")]
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", *options, str(docx)],
        check=True,
        capture_output=True,
    )
    return work / "word" / f"{docx.stem}.pdf"


def screenshot(html: Path, width: int, height: int) -> Image.Image:
    """A page as headless Chromium shows it in a window of ``width`` x ``height``."""
    shot = html.with_suffix(".png")
    window = [f"--window-size={width},{height}", f"--screenshot={shot}"]
    subprocess.run(
        ["chromium", *CHROMIUM, *window, html.as_uri()],
        check=True,
        capture_output=True,
        env={**os.environ, "SE_AVOID_STATS": "true"},
    )
    return Image.open(shot).convert("RGB")


def side_by_side(pictures: list[Image.Image], gap: int = 16) -> Image.Image:
    """Pictures in a row on a light grey ground, as pages on a desk."""
    height = max(p.height for p in pictures) + 2 * gap
    width = sum(p.width for p in pictures) + gap * (len(pictures) + 1)
    row = Image.new("RGB", (width, height), (226, 229, 234))
    x = gap
    for picture in pictures:
        row.paste(picture, (x, gap))
        x += picture.width + gap
    return row


def top(picture: Image.Image, share: float) -> Image.Image:
    """The top ``share`` of a picture."""
    return picture.crop((0, 0, picture.width, round(picture.height * share)))


def save(picture: Image.Image, name: str) -> None:
    """Write ``docs/img/NAME.png`` in few colours, and say so."""
    small = picture.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=0)
    path = OUT / f"{name}.png"
    small.save(path, optimize=True)
    print(f"wrote {path.relative_to(ROOT)}  ({path.stat().st_size // 1024} KB)")


class Example:
    """The example, built once into a temporary folder."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.content = work / "example" / "release.yaml"
        build(work, ["new", "--example", str(self.content.parent)])
        build(work, ["build", str(self.content), "-o", str(work / "out")])
        [self.kit] = (work / "out").iterdir()

    def file(self, language: str, suffix: str) -> Path:
        """The ``language`` document whose name ends with ``suffix``."""
        [found] = sorted(p for p in (self.kit / language).iterdir() if p.name.endswith(suffix))
        return found

    def release(self, language: str) -> Path:
        return self.kit / language / f"{self.kit.name}.pdf"


def release_pages(example: Example) -> None:
    save(page(example.release("en"), 1), "release-en")
    save(page(example.release("fr"), 1), "release-fr")


def kit_pages(example: Example) -> None:
    kit = example.file("en", "-press-kit.pdf")
    save(side_by_side([page(kit, n, dpi=60) for n in (1, 2, 5, 6)]), "kit-pages")


def word_page(example: Example) -> None:
    docx = example.file("en", f"{example.kit.name}.docx")
    save(page(word_as_pdf(docx, example.work), 1), "word-en")


def email_body(example: Example) -> None:
    recipients = example.work / "recipients.csv"
    recipients.write_text(RECIPIENTS, encoding="utf-8")
    config = example.work / "mail.yaml"
    config.write_text(MAIL_CONFIG, encoding="utf-8")
    drafts = example.work / "drafts"
    argv = ["mail", str(example.content), "--to", str(recipients), "--config", str(config)]
    build(example.work, [*argv, "-o", str(drafts)])
    [draft] = drafts.rglob("*.eml")
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    body = example.work / "email.html"
    body.write_text(html.get_content(), encoding="utf-8")
    save(screenshot(body, 800, 1000), "email")


def newsroom_page(example: Example) -> None:
    site = example.work / "site"
    build(example.work, ["site", str(example.content), "-o", str(site)])
    save(screenshot(site / "en" / f"{example.kit.name}.html", 1280, 900), "newsroom")


def theme_pages(example: Example) -> None:
    """The page's top in the built-in look and with a two-file theme beside it."""
    theme = example.work / "theme"
    (theme / "strings").mkdir(parents=True)
    (theme / "strings" / "en.yaml").write_text(THEME_WORDS, encoding="utf-8")
    css = (ROOT / "templates" / "press-release.css").read_text(encoding="utf-8")
    if THEME_ACCENT[0] not in css:
        sys.exit(f"press-release.css no longer says {THEME_ACCENT[0]!r}: update THEME_ACCENT")
    (theme / "press-release.css").write_text(css.replace(*THEME_ACCENT), encoding="utf-8")
    themed = example.work / "themed"
    argv = ["build", str(example.content), "-o", str(themed), "--lang", "en"]
    build(example.work, [*argv, "--format", "pdf", "--theme", str(theme)])
    [pdf] = themed.rglob(f"{example.kit.name}.pdf")
    before, after = top(page(example.release("en"), 1), 0.45), top(page(pdf, 1), 0.45)
    save(side_by_side([before, after]), "theme")


def new_release(example: Example) -> None:
    """The first page of what ``presskit new`` starts you with, built as is."""
    folder = example.work / "my-release"
    build(example.work, ["new", str(folder)])
    build(example.work, ["build", str(folder / "release.yaml"), "-o", str(folder / "output")])
    [pdf] = (folder / "output").glob("*/en/*.pdf")
    save(page(pdf, 1), "new-release")


PICTURES: list[Callable[[Example], None]] = [
    release_pages,
    kit_pages,
    word_page,
    email_body,
    newsroom_page,
    theme_pages,
    new_release,
]


def main() -> None:
    for tool in ("pdftoppm", "soffice", "chromium"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: run `make setup` (it installs the test packages)")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="presskit-guide-") as folder:
        example = Example(Path(folder))
        for draw in PICTURES:
            draw(example)


if __name__ == "__main__":
    main()
