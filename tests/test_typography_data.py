"""Typography rules are data: a theme's ``typography/<lang>.yaml`` teaches presskit a
language's typography without any change to Python, and the Word import undoes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from presskit.cli import main
from presskit.content.typography import NBSP, NNBSP, typeset_text
from presskit.theme.folder import Theme
from presskit.wordimport.untype import untype

from .conftest import MINIMAL, write_content

# Swedish: the same mark opens and closes a quotation, thousands and units spaced.
SWEDISH = """\
quotes:
  double: ["”", "”"]
  single: ["’", "’"]
  apostrophe: "’"
thousands: narrow no-break
units: {space: no-break, symbols: [kr, "%"]}
"""
WRITTEN = "Hon sa \"hej\" och 'kom' – 2 500 kr, 10 %"
TYPESET = f"Hon sa ”hej” och ’kom’ – 2{NNBSP}500{NBSP}kr, 10{NBSP}%"


def theme_with(folder: Path, files: dict[str, str]) -> Path:
    """A theme folder holding only typography files."""
    for name, text in files.items():
        path = folder / "typography" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


def test_a_new_languages_rules_in_a_theme_reach_the_documents(
    content_dir: Path, tmp_path: Path
) -> None:
    theme = theme_with(tmp_path / "theme", {"sv.yaml": SWEDISH})
    content = MINIMAL.replace("issuer:", "languages: [sv]\nissuer:").replace(
        "headline: A headline", f"headline: '{WRITTEN.replace(chr(39), chr(39) * 2)}'"
    )
    path = write_content(content_dir, content)
    out = tmp_path / "out"
    args = ["build", str(path), "-o", str(out), "--format", "html", "-q"]
    assert main([*args, "--theme", str(theme)]) == 0
    (page,) = out.rglob("*.html")
    assert TYPESET in page.read_text("utf-8")
    assert main([*args, "-o", str(tmp_path / "plain")]) == 0  # no rules built in for sv
    (plain,) = (tmp_path / "plain").rglob("*.html")
    assert TYPESET not in plain.read_text("utf-8")
    assert typeset_text(WRITTEN, "sv") == WRITTEN


def test_every_kind_of_rule_is_data(tmp_path: Path) -> None:
    rules = """\
quotes:
  double: ["«", "»"]
  inside: "\\u2009"
spaces:
  - before: "!?"
    space: "\\u2009"
  - before: ":"
    space: no-break
    unless_digit_follows: true
"""
    theme = Theme.resolve(theme_with(tmp_path, {"it.yaml": rules, "it-CH.yaml": "{}\n"}))
    thin = "\u2009"
    assert typeset_text('Dice: "Ciao" ?! alle 18:30', "it", theme) == (
        f"Dice{NBSP}: «{thin}Ciao{thin}»{thin}?! alle 18:30"
    )
    assert typeset_text("« già »", "it", theme) == f"«{thin}già{thin}»"
    # A regional file replaces its language's rules whole: here, with none.
    assert typeset_text('Dice: "Ciao"', "it-CH", theme) == 'Dice: "Ciao"'


def test_a_theme_replaces_a_built_in_languages_rules_whole(tmp_path: Path) -> None:
    theme = Theme.resolve(theme_with(tmp_path, {"fr.yaml": "quotes:\n  apostrophe: '`'\n"}))
    assert typeset_text('l\'équipe ? "oui"', "fr", theme) == 'l`équipe ? "oui"'
    assert typeset_text("l'équipe ?", "fr") == f"l’équipe{NNBSP}?"


def test_a_broken_rules_file_is_named_with_its_line(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theme = theme_with(tmp_path / "theme", {"fr.yaml": "quotes:\n  inside: wide\n"})
    path = write_content(content_dir, MINIMAL.replace("issuer:", "languages: [fr]\nissuer:"))
    code = main(["build", str(path), "-o", str(tmp_path / "out"), "--theme", str(theme)])
    error = capsys.readouterr().err
    assert code != 0
    assert f"{theme / 'typography' / 'fr.yaml'}:2: quotes.inside:" in error
    assert "narrow no-break" in error and "Traceback" not in error


def test_the_word_import_undoes_the_rules_of_the_data(tmp_path: Path) -> None:
    theme = Theme.resolve(theme_with(tmp_path, {"sv.yaml": SWEDISH}))
    assert untype(typeset_text(WRITTEN, "sv", theme), "sv", theme) == WRITTEN
    # French reads other styles' quotation marks back as straight quotes, as its file
    # says; a French theme that says nothing of them leaves them as they are.
    assert untype("le “label”", "fr") == 'le "label"'
    plain = Theme.resolve(theme_with(tmp_path / "bare", {"fr.yaml": "quotes:\n  double: [«, »]\n"}))
    assert untype("le “label”", "fr", plain) == "le “label”"


def test_a_long_run_of_spaces_is_untyped_in_linear_time() -> None:
    """Spaces before a closing guillemet were matched from every space of a run: a run
    of 400,000 took minutes; here it must end, in a subprocess given a minute."""
    script = (
        "from presskit.wordimport.untype import untype\n"
        "text = 'a' + ' ' * 400000 + 'b'\n"
        "assert untype(text, 'fr') == text\n"
        "print('done')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "done", result.stderr


@pytest.mark.parametrize(
    ("language", "word"), [("en", f"ab{NBSP}"), ("fr", f"«{NNBSP}x{NNBSP}»{NBSP}")]
)
def test_a_paragraph_of_no_break_spaces_is_untyped_in_linear_work(
    monkeypatch: pytest.MonkeyPatch, language: str, word: str
) -> None:
    """Marks kept as typed are judged one by one, each in the words around it: with
    no plain space in the paragraph, "around" was the whole paragraph at every mark
    (a 100 KB paragraph took a quarter of an hour). The work is counted, not timed:
    the characters retypeset stay within a constant times the paragraph's length."""
    import presskit.wordimport.untype as module

    typeset: list[int] = []
    original = module.typeset

    def counted(segments: list[str], *args: object) -> list[str]:
        typeset.append(sum(map(len, segments)))
        return original(segments, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "typeset", counted)
    text = word * 3000
    untype(text, language)
    assert sum(typeset) <= 100 * len(text)
