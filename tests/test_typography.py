"""French, English and German typography, applied to displayed text only."""

from __future__ import annotations

import pytest

from presskit.content.typography import NBSP, NNBSP, typeset, typeset_text


@pytest.mark.parametrize(
    ("written", "french"),
    [
        ("Pourquoi ? Parce que !", f"Pourquoi{NNBSP}? Parce que{NNBSP}!"),
        ("Voilà; enfin", f"Voilà{NNBSP}; enfin"),
        ("sont :", f"sont{NBSP}:"),
        ("Note: rien", f"Note{NBSP}: rien"),
        ("le label « Communauté »", f"le label «{NNBSP}Communauté{NNBSP}»"),
        ('le label "Communauté French Tech".', f"le label «{NNBSP}Communauté French Tech{NNBSP}»."),
        ("l'équipe d'Artois", "l’équipe d’Artois"),
        ("10 km et 5 % de 3 Mo", f"10{NBSP}km et 5{NBSP}% de 3{NBSP}Mo"),
        ("à 18:30 précises", "à 18:30 précises"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        ("2 500 startups et 1 000 000 €", f"2{NNBSP}500 startups et 1{NNBSP}000{NNBSP}000{NBSP}€"),
        ("le 1 l'équipe", "le 1 l’équipe"),
    ],
)
def test_french(written: str, french: str) -> None:
    assert typeset_text(written, "fr") == french


def test_french_leaves_urls_emails_and_code_alone() -> None:
    text = "Voir https://example.org/a?b=c;d ou www.example.org/x?y, écrire à a.b@example.org !"
    result = typeset_text(text, "fr")
    assert "https://example.org/a?b=c;d" in result
    assert "www.example.org/x?y" in result
    assert result.endswith(f"a.b@example.org{NNBSP}!")
    assert typeset(['print("a"); x ?'], "fr", [True]) == ['print("a"); x ?']


def test_quotes_pair_across_runs() -> None:
    # '"**gras** !"' arrives as three runs: the quotes still pair, the space is kept once.
    assert typeset(['Il dit "', "gras", ' !"'], "fr") == [
        f"Il dit «{NNBSP}",
        "gras",
        f"{NNBSP}!{NNBSP}»",
    ]
    assert typeset(["Texte ", "!"], "fr") == ["Texte", f"{NNBSP}!"]


def test_english() -> None:
    assert typeset_text("\"It's ready,\" she said, 'now'.", "en") == (
        "“It’s ready,” she said, ‘now’."
    )
    assert typeset_text("Note: see https://x.org/?a='b'", "en") == "Note: see https://x.org/?a='b'"


def test_other_languages_are_left_as_written() -> None:
    assert typeset_text('Dijo: "Sí"', "es") == 'Dijo: "Sí"'


@pytest.mark.parametrize(
    ("written", "german"),
    [
        ('Das Motto "Digital vor Ort" gilt.', "Das Motto „Digital vor Ort“ gilt."),
        ("Geht's gut?", "Geht’s gut?"),
        ('("Ruhr")', "(„Ruhr“)"),
    ],
)
def test_german(written: str, german: str) -> None:
    assert typeset_text(written, "de") == german
    assert typeset_text(written, "de-AT") == german
