"""Nothing outside the allowed folders reaches a document: not from content, not from HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from presskit.assets.resources import TEMPLATES_DIR, Roots
from presskit.content.loader import load
from presskit.render.pdf import PdfRenderer, theme_roots
from presskit.util.errors import ContentError, ResourceError

from .conftest import MINIMAL, write_content

SECRET = "s3cret-do-not-embed"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the content folder, with a real PNG and a secret text file."""
    folder = tmp_path / "outside"
    folder.mkdir()
    shutil.copy(
        TEMPLATES_DIR.parent / "examples" / "logos" / "french-tech-lille.png", folder / "x.png"
    )
    (folder / "secret.txt").write_text(SECRET)
    return folder


def references(content_dir: Path, outside: Path) -> dict[str, str]:
    (content_dir / "link.png").symlink_to(outside / "x.png")
    return {
        "file URL": "file:///etc/passwd",
        "parent path": "../outside/x.png",
        "symlink out": "link.png",
    }


def load_problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(path)
    return [p.format("f") for p in caught.value.problems]


@pytest.mark.parametrize("case", ["file URL", "parent path", "symlink out"])
def test_markdown_images_outside_the_content_folder_are_refused(
    case: str, content_dir: Path, outside: Path
) -> None:
    ref = references(content_dir, outside)[case]
    path = write_content(content_dir, MINIMAL.replace("The lead paragraph.", f"'![alt]({ref})'"))
    [problem] = load_problems(path)
    assert problem.startswith("f:7: lead: image ")
    assert ref in problem
    assert "not a URL" in problem or "outside the content and assets folders" in problem


@pytest.mark.parametrize("case", ["file URL", "parent path", "symlink out"])
def test_logos_outside_the_content_folder_are_refused(
    case: str, content_dir: Path, outside: Path
) -> None:
    ref = references(content_dir, outside)[case]
    text = MINIMAL.replace(
        "  name: Example Org\n", f"  name: Example Org\n  logo: {{file: '{ref}', alt: L}}\n"
    )
    [problem] = load_problems(write_content(content_dir, text))
    assert problem.startswith("f:3: issuer.logo.file: image ")
    assert ref in problem


def test_a_missing_and_an_existing_outside_file_get_the_same_message(
    content_dir: Path, outside: Path
) -> None:
    messages = []
    for ref in ("../outside/secret.txt", "../outside/missing.txt"):
        text = MINIMAL.replace("The lead paragraph.", f"'![a]({ref})'")
        [problem] = load_problems(write_content(content_dir, text))
        messages.append(problem.replace(ref, "REF"))
    assert messages[0] == messages[1]


def render(html: str, roots: Roots | None = None) -> bytes:
    head = '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
    page = f"{head}<body><p>x</p>{html}</body></html>"
    return PdfRenderer(roots).render(page)


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/hostname">x</a>',
        '<img src="http://127.0.0.1:9/x.png">',
        '<img src="../../../../../../etc/passwd">',
        '<img src="%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd">',
        '<link rel="stylesheet" href="file:///dev/zero">',
    ],
)
def test_the_pdf_fetcher_refuses_everything_outside_the_theme(html: str) -> None:
    with pytest.raises(ResourceError) as caught:
        render(html)
    assert "refused to fetch" in str(caught.value)


def test_the_pdf_fetcher_refuses_symlinks_out_of_an_allowed_folder(
    tmp_path: Path, outside: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "ok.png").write_bytes((outside / "x.png").read_bytes())
    roots = Roots((*theme_roots().folders, root.resolve()))
    pdf = render(f'<img src="{(root / "ok.png").as_uri()}" alt="ok">', roots)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ResourceError) as caught:
        render(f'<link rel="attachment" href="{(root / "secret.txt").as_uri()}">', roots)
    assert "secret.txt" in str(caught.value)


def test_the_pdf_worker_process_reports_refusals_too() -> None:
    from presskit.render.pdf import PdfWorker

    worker = PdfWorker()
    try:
        worker.submit('<!DOCTYPE html><html><body><img src="file:///etc/passwd"></body></html>')
        with pytest.raises(ResourceError) as caught:
            worker.result()
    finally:
        worker.close()
    assert "refused to fetch 'file:///etc/passwd'" in str(caught.value)
