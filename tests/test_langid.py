"""Language tags: deterministic, history-independent, und when unclear."""

from __future__ import annotations

from cleaner import Cleaner, Config, clean_text
from cleaner.langid import UNDETERMINED, detect_language

EN = "Russia and China are not building a military alliance, President Vladimir Putin said on Sunday in Moscow."
DE = "Der Stadtrat hat am Montag beschlossen, die alte Brücke für zwei Jahre zu schließen, sagte der Bürgermeister."
FR = "Le conseil municipal a décidé lundi de fermer le vieux pont pendant deux ans pour des travaux importants."
ES = "El ayuntamiento decidió el lunes cerrar el viejo puente durante dos años para hacer obras de reparación."


def test_languages_and_confidence() -> None:
    assert [detect_language(t)[0] for t in (EN, DE, FR, ES)] == ["en", "de", "fr", "es"]
    assert all(0.7 <= detect_language(t)[1] <= 1.0 for t in (EN, DE, FR, ES))


def test_same_answer_whatever_came_before() -> None:
    first = [detect_language(t) for t in (FR, EN, ES, DE)]
    for _ in range(3):
        for t in (DE, ES, EN):
            detect_language(t)
    assert [detect_language(t) for t in (FR, EN, ES, DE)] == first


def test_short_or_empty_text_is_undetermined() -> None:
    for text in ("", "Home", "Share this", "12:30 PM"):
        assert detect_language(text) == (UNDETERMINED, 0.0)


def test_packs_follow_the_language() -> None:
    german = f"Anzeige\n{DE}"
    english = f"Anzeige\n{EN}"
    assert [r.rule for r in clean_text(german).removals] == ["ADS201"]
    # "Anzeige" is German junk; on an English page the German pack does not apply
    assert clean_text(english, Config(heuristics=False)).removals == []
    assert Cleaner(Config(language="de", heuristics=False)).clean(english).removals[0].rule == "ADS201"
