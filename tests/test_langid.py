"""Language tags: deterministic, history-independent, und when unclear."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config, clean_text, langid
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


def test_italian_and_russian_pages_get_their_packs() -> None:
    italian = (
        "Condividi\nIl governo ha annunciato lunedì nuove misure di sostegno per le piccole imprese del sud.\n"
        "Il ministro ha detto che il programma partirà il mese prossimo e riguarderà migliaia di aziende."
    )
    russian = (
        "Поделиться\nПравительство в понедельник объявило о новых мерах поддержки малого бизнеса в регионах.\n"
        "Министр экономики заявил, что программа начнет работать уже в следующем месяце."
    )
    rules_only = Config(heuristics=False)
    assert [r.rule for r in clean_text(italian, rules_only).removals] == ["SHARE601"]
    assert [r.rule for r in clean_text(russian, rules_only).removals] == ["SHARE701"]
    # The packs follow the language: an English page keeps a line that is an Italian label.
    assert clean_text(f"Condividi\n{EN}", rules_only).removals == []


# --- the array replica of langdetect's detection ----------------------------

DEV_TEXT = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "quality-dev" / "text"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@functools.lru_cache(maxsize=1)
def _reference_factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(langid.SEED)
    return factory


def reference(text: str) -> list[tuple[str, float]]:
    """langdetect itself, with the trials and seed cleaner uses."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _reference_factory().create()
    detector.n_trial = langid.N_TRIAL
    detector.append(text)
    try:
        return [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException:
        return []


def reference_ngrams(text: str) -> list[str]:
    detector = _reference_factory().create()
    detector.text = text
    return list(detector._extract_ngrams())


def sample_texts() -> list[str]:
    texts = [EN, DE, FR, ES, "", " ", "a", "AB", "AbC DEF gHi", "https://example.org/x?y=1 mail me at a.b@c.org now"]
    texts += [
        "Привет МИР мир",
        "日本語のテキストです。",
        "مرحبا بالعالم",
        "Tiếng Việt có dấu: Việt Nam",
        "ŞİŞLİ İstanbul",
    ]
    for folder in (DEV_TEXT, SEEDS):
        if folder.is_dir():
            texts += [langid.sample(p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir()) if p.is_file()]
    return texts


def test_replica_gives_langdetects_probabilities_exactly() -> None:
    texts = sample_texts()
    assert len(texts) > 100 or not DEV_TEXT.is_dir()
    for text in texts:
        assert langid._langdetect(text) == reference(text), text[:80]


def test_replica_reads_the_same_ngrams() -> None:
    profiles = langid._profiles()
    words = list(_reference_factory().word_lang_prob_map)
    for text in sample_texts():
        text = profiles.text(text)
        assert [words[r] for r in profiles.ngrams(text)] == reference_ngrams(text), text[:80]


@settings(max_examples=300, deadline=None)
@example("AÀ̀̀ẞ")  # langdetect counts Latin Extended Additional as not Latin
@given(st.text(alphabet=st.sampled_from("aAbBzZ éÉßẞçÇıİ ,.!?'’-\t\n0123456789абвАБВ日本ıłŁ\u0301\u0300"), max_size=80))
def test_replica_agrees_on_odd_text(text: str) -> None:
    assert langid._langdetect(text) == reference(text)


def test_replica_takes_lone_surrogates_as_langdetect_does() -> None:
    text = "The mayor said \ud83d today that the bridge would close for two years, to the dismay of residents."
    assert langid._langdetect(text) == reference(text)


def test_detectable_languages_are_those_the_profiles_name() -> None:
    """--lang is checked against langdetect's profile files, named after their
    languages, without loading them: the same codes as the loaded profiles."""
    loaded = {code.split("-")[0].lower() for code in langid._profiles().langlist}
    assert langid.detectable_languages() == frozenset(loaded | {UNDETERMINED})
