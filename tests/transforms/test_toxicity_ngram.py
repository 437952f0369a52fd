"""The offline multilingual toxicity model (`ngram_tox_v1`): features, training round trip,
the shipped artifact, and the backend's coverage rule. Literal examples written for this test
(none from the evaluation sets)."""
from __future__ import annotations

import gzip
import json
import os

import numpy as np
import pytest

from transforms.toxicity.base import BackendUnavailable
from transforms.toxicity.ngram import NgramToxicityBackend
from transforms.toxicity.ngram_features import feature_ids, features, normalise, window_of
from transforms.toxicity.ngram_model import ModelError, NgramToxicityModel, model_paths
from transforms.toxicity.rule import ToxicityTagger


# -- features ---------------------------------------------------------------------------------

def test_normalise_folds_case_spaces_repeats_digits_urls_and_mentions():
    assert normalise("  You   are SOOOOO dumb!!!!!  @bob https://x.io/a 2024 ") == "you are sooo dumb ! ! ! 0000"
    assert normalise("f*ck,idiot") == "f*ck , idiot"


def test_features_are_stable_and_shared_by_spelling_variants():
    a = feature_ids(normalise("you are an idiot"))
    assert np.array_equal(a, feature_ids(normalise("You  are an IDIOT")))
    assert len(a) == 5 * len(" you are an idiot ") - 10 + 4 + 3  # n-grams 1..5, 4 words, 3 pairs
    assert np.array_equal(a, feature_ids(normalise("you are an idiot")))
    assert a.dtype == np.int64 and a.min() >= 0 and a.max() < 2 ** 20
    other = feature_ids(normalise("you are a genius"))
    shared = len(np.intersect1d(a, other))
    assert 0 < shared < len(a)          # common n-grams ("you are"), not the same text
    assert len(feature_ids("")) == 0


def test_the_same_word_hashes_alike_wherever_it_stands():
    # a word's feature does not depend on its position: "idiot" alone is inside both texts
    alone = set(feature_ids("idiot", max_n=1).tolist())
    assert alone <= set(feature_ids("idiot you", max_n=1).tolist())
    assert alone <= set(feature_ids("you idiot", max_n=1).tolist())


def test_cjk_text_without_spaces_gets_character_ngrams():
    ids = feature_ids(normalise("你这个混蛋"))
    assert len(ids) == 7 + 6 + 5 + 4 + 3 + 1  # padded to 7 characters; one word, no pair


def test_features_know_where_they_start_so_windows_are_scored_in_one_pass():
    text = ("ab " * 200).strip()  # 599 characters
    ids, starts = features(text, max_n=3)
    # the leading pad space counts as position 0, the trailing one as len(text)
    assert len(ids) == len(starts) and starts.min() == 0 and starts.max() == len(text)
    win = window_of(starts, 256)
    assert set(win.tolist()) == {0, 1, 2}


def test_an_insult_inside_a_long_paste_is_not_averaged_away(tiny_model):
    model_dir, _ = tiny_model
    model = NgramToxicityModel.load("tiny", model_dir)
    filler = "please summarise this article about the weather in spain. " * 20  # 1,200 chars
    insult = "shut up you stupid moron"
    alone = model.decision(filler)
    assert model.decision(filler + insult) > alone
    # past max_windows * window_chars the text is not read
    far = filler * 10 + insult
    assert model.decision(far) == model.decision(filler * 10)


def test_a_lexicon_term_adds_one_extra_feature_per_occurrence_and_look_alikes_do_not():
    from transforms.toxicity.ngram_features import Lexicon

    lex = Lexicon(["jerk", "dirty rat", "混蛋", "바보"])
    extra = 1 << 20

    def hits(text):
        ids, _ = features(normalise(text), 20, 5, lex)
        return int((ids == extra).sum())

    assert hits("you jerk, a total JERK") == 2          # a word, any case
    assert hits("he is a dirty rat") == 1                # a two-word term
    assert hits("你这个混蛋！") == 1 and hits("바보야 꺼져") == 1  # inside longer CJK/Hangul words
    assert hits("jerky beef and a rat that is dirty") == 0  # look-alikes are not terms
    assert hits("") == 0


# -- training round trip on a tiny literal set ------------------------------------------------

TOXIC_EN = ["you are a worthless idiot", "shut up you stupid moron", "i hate you, you pathetic loser",
            "go away you disgusting idiot", "you moron, nobody likes you", "what a stupid worthless loser"]
CLEAN_EN = ["can you help me write a function", "thanks, that explanation was great",
            "please summarise this article", "what is the capital of france",
            "write a poem about the sea", "how do i sort a list in python"]
TOXIC_DE = ["du bist ein dummer idiot", "halt die klappe du vollidiot", "du blöder versager",
            "verschwinde du widerlicher idiot", "du dummer versager, keiner mag dich", "was für ein blöder idiot"]
CLEAN_DE = ["kannst du mir bei einer funktion helfen", "danke, die erklärung war super",
            "bitte fasse diesen artikel zusammen", "was ist die hauptstadt von frankreich",
            "schreib ein gedicht über das meer", "wie sortiere ich eine liste in python"]


def _write_tsv(path, toxic, clean, copies=6):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("text\tlabel\tsource_id\n")
        i = 0
        for k in range(copies):  # variants so that the hash split puts some of each in tune
            for label, texts in ((1, toxic), (0, clean)):
                for t in texts:
                    f.write(f"{t} {'!' * k}\t{label}\t{i}\n")
                    i += 1


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from tools.toxicity import train as tr

    root = tmp_path_factory.mktemp("tox")
    data, models = root / "train", root / "models"
    data.mkdir()
    _write_tsv(data / "en.tiny.tsv.gz", TOXIC_EN, CLEAN_EN)
    _write_tsv(data / "de.tiny.tsv.gz", TOXIC_DE, CLEAN_DE)
    old = tr.MIN_TUNE_PER_CLASS
    tr.MIN_TUNE_PER_CLASS = 2
    try:
        meta = tr.train(str(data), str(models), name="tiny", c_grid=(4.0,), log=lambda *_: None)
    finally:
        tr.MIN_TUNE_PER_CLASS = old
    paths = model_paths("tiny", str(models))
    with open(paths["eval"], "w") as f:  # a held-out measurement that covers English only
        json.dump({"languages": {"en": {"f1": 1.0}}}, f)
    return str(models), meta


def test_training_writes_weights_with_checksum_thresholds_and_file_list(tiny_model):
    model_dir, meta = tiny_model
    assert set(meta["thresholds"]) == {"en", "de"}
    assert [f["file"] for f in meta["training_files"]] == ["de.tiny.tsv.gz", "en.tiny.tsv.gz"]
    model = NgramToxicityModel.load("tiny", model_dir)
    assert model.checksums["weights_sha256"] == meta["weights_sha256"]
    assert model.score("you stupid idiot") > model.score("please help me with python")
    assert model.score("du blöder idiot") > model.score("bitte hilf mir mit python")


def test_retraining_gives_the_same_bytes(tiny_model, tmp_path):
    from tools.toxicity import train as tr

    model_dir, meta = tiny_model
    old = tr.MIN_TUNE_PER_CLASS
    tr.MIN_TUNE_PER_CLASS = 2
    try:
        again = tr.train(os.path.join(os.path.dirname(model_dir), "train"), str(tmp_path), name="tiny",
                         c_grid=(4.0,), log=lambda *_: None)
    finally:
        tr.MIN_TUNE_PER_CLASS = old
    assert again["weights_sha256"] == meta["weights_sha256"]
    assert again["thresholds"] == meta["thresholds"]


def test_only_languages_with_a_threshold_and_a_heldout_measurement_are_judged(tiny_model):
    model_dir, _ = tiny_model
    model = NgramToxicityModel.load("tiny", model_dir)
    assert model.judged_languages() == {"en"}  # de has a threshold but no held-out measurement
    backend = NgramToxicityBackend(model)
    assert backend.judges("en") and not backend.judges("de") and not backend.judges(None)


def test_a_replaced_weights_file_is_refused(tiny_model, tmp_path):
    import shutil

    model_dir, _ = tiny_model
    for name in ("tiny.npz", "tiny.json"):
        shutil.copy(os.path.join(model_dir, name), tmp_path / name)
    with open(tmp_path / "tiny.npz", "ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelError, match="sha256"):
        NgramToxicityModel.load("tiny", str(tmp_path))
    with pytest.raises(ModelError, match="does not exist"):
        NgramToxicityModel.load("missing", str(tmp_path))


def test_a_model_built_for_other_features_is_refused(tiny_model):
    model_dir, meta = tiny_model
    with np.load(os.path.join(model_dir, "tiny.npz")) as z:
        coef, b = z["coef"], float(z["intercept"])
    with pytest.raises(ModelError, match="retrain"):
        NgramToxicityModel(coef, b, dict(meta, feature_version="other_v0"), None)


def test_the_tagger_uses_each_languages_threshold_and_a_configured_one_overrides_it(tiny_model):
    model_dir, _ = tiny_model
    backend = NgramToxicityBackend(NgramToxicityModel.load("tiny", model_dir))
    conv = {"messages": [{"role": "user", "content": "shut up you stupid moron", "language_code": "en"},
                         {"role": "assistant", "content": "how do i sort a list in python", "language_code": "en"},
                         {"role": "user", "content": "du blöder idiot", "language_code": "de"}]}
    (out, stats), = ToxicityTagger([backend], "any").tag([conv])
    flags = [m["toxic"] for m in out["messages"]]
    assert flags == [True, False, None]  # de is not judged by this model
    assert out["messages"][2]["ngram_toxicity_moderation"] is None
    assert stats["toxicity.messages.unjudged.de"] == 1
    (out, _), = ToxicityTagger([backend], "any", {"ngram_tox_v1": 1.0}).tag([conv])
    assert [m["toxic"] for m in out["messages"]] == [False, False, None]


# -- training choices ---------------------------------------------------------------------------

def _rows(lang, source, labels):
    return [{"text": f"{source} {i}", "label": y, "lang": lang, "source": source}
            for i, y in enumerate(labels)]


def test_every_language_source_and_class_weighs_the_same_in_the_fit():
    from tools.toxicity.train import _balanced_weights

    big = _rows("en", "big", [1] * 90 + [0] * 10)    # 90% toxic, 100 rows
    small = _rows("en", "small", [1] * 5 + [0] * 5)  # 10 rows
    clean = _rows("en", "chat", [0] * 20)            # a clean-only source
    other = _rows("de", "one", [1] * 3 + [0] * 7)
    rows = big + small + clean + other
    w = dict(zip(((r["source"], r["label"], r["text"]) for r in rows), _balanced_weights(rows)))

    def mass(source, label=None):
        return sum(v for (s, y, _), v in w.items() if s == source and (label is None or y == label))
    assert mass("big") == pytest.approx(mass("small")) == pytest.approx(mass("chat"))
    assert mass("big", 1) == pytest.approx(mass("big", 0))  # its 90% toxic is not the prior
    assert mass("one") == pytest.approx(mass("big") + mass("small") + mass("chat"))  # de = en
    assert sum(w.values()) == pytest.approx(len(rows))


class _Scores:
    def __init__(self, scores):
        self.scores = scores

    def score(self, text):
        return self.scores[text]


def test_a_clean_chat_source_raises_the_threshold_through_its_false_positives():
    from tools.toxicity import train as tr

    mixed = _rows("en", "tweets", [1] * 20 + [0] * 20)
    scores = {r["text"]: (0.9 if r["label"] else 0.2) for r in mixed}
    scores.update({r["text"]: 0.5 for r in mixed[15:20]})  # 5 toxic tweets score only 0.5
    chat = _rows("en", "chat", [0] * 40)
    scores.update({r["text"]: (0.5 if i < 20 else 0.1) for i, r in enumerate(chat)})  # half at 0.5
    old = tr.MIN_TUNE_PER_CLASS
    tr.MIN_TUNE_PER_CLASS = 5
    try:
        alone = tr.choose_thresholds(_Scores(scores), mixed)["en"]
        with_chat = tr.choose_thresholds(_Scores(scores), mixed + chat)["en"]
    finally:
        tr.MIN_TUNE_PER_CLASS = old
    assert alone["threshold"] == 0.5 and alone["recall"] == 1.0  # tweets alone: catch all 20
    # the chat texts at 0.5 would be false positives: the threshold moves above them
    assert with_chat["threshold"] == 0.9 and with_chat["recall"] == 0.75


def test_cross_source_folds_hold_out_whole_datasets_and_fold_chat_by_row():
    from tools.toxicity.cross_source import assign_folds

    def _rows(lang, source, labels):  # texts that differ in letters, as the fold hash sees them
        return [{"text": f"{source} {chr(97 + i % 26)}{chr(97 + i // 26)}", "label": y,
                 "lang": lang, "source": source} for i, y in enumerate(labels)]

    rows = (_rows("en", "tweets", [1, 0] * 10) + _rows("en", "forum", [1, 0] * 10)
            + _rows("en", "forum_more", [1, 0] * 5) + _rows("en", "chat", [0] * 30)
            + _rows("fr", "only", [1, 0] * 10) + _rows("fr", "chat", [0] * 10))
    folds, how = assign_folds(rows, k=3)
    fold_of = {}
    for r, f in zip(rows, folds):
        fold_of.setdefault((r["lang"], r["source"]), set()).add(int(f))
    assert how == {"en": "sources", "fr": "rows"}
    assert len(fold_of["en", "tweets"]) == len(fold_of["en", "forum"]) == 1  # a dataset stays whole
    assert fold_of["en", "tweets"] != fold_of["en", "forum"]
    assert fold_of["en", "forum_more"] == fold_of["en", "forum"]  # `_more` is the same dataset
    assert len(fold_of["en", "chat"]) == 3  # chat stands for the release's traffic: spread by row
    assert len(fold_of["fr", "only"]) > 1  # one labelled dataset: nothing to hold out, by row
    assert (folds == assign_folds(list(reversed(rows)), k=3)[0][::-1]).all()  # order-free


def test_the_chat_cap_keeps_a_threshold_from_flagging_clean_chat():
    from tools.toxicity import train as tr

    tweets = _rows("en", "tweets", [1] * 20 + [0] * 20)
    chat = _rows("en", "chat", [0] * 20)
    rows = tweets + chat
    # 15 toxic tweets score 0.9, 5 only 0.3; clean tweets 0.1; 3 of 20 chat texts 0.3 (15%)
    scores = [(0.9 if i < 15 else 0.3) if r["label"] else 0.1 for i, r in enumerate(tweets)]
    scores += [0.3 if i < 3 else 0.05 for i in range(20)]
    old = tr.MIN_TUNE_PER_CLASS
    tr.MIN_TUNE_PER_CLASS = 5
    try:
        free = tr.thresholds_from_scores(rows, scores)["en"]
        capped = tr.thresholds_from_scores(rows, scores, max_chat_fpr=0.05)["en"]
    finally:
        tr.MIN_TUNE_PER_CLASS = old
    # F1-best alone: 0.3 catches every toxic tweet, and flags 15% of the clean chat
    assert (free["threshold"], free["recall"], free["chat_fpr"]) == (0.3, 1.0, 0.15)
    # with the cap the threshold moves above the chat texts, at a cost in recall
    assert (capped["threshold"], capped["recall"], capped["chat_fpr"]) == (0.9, 0.75, 0.0)


def test_a_threshold_rises_above_clean_prompts_it_would_flag():
    from tools.toxicity.train import raise_for_clean_texts

    rows = _rows("en", "tweets", [1] * 10 + [0] * 10)
    scores = [0.3 + 0.05 * i if r["label"] else 0.1 for i, r in enumerate(rows)]  # toxic 0.3-0.75
    t = {"en": {"threshold": 0.3, "precision": 1.0, "recall": 1.0}, "de": {"threshold": 0.5}}
    clean = {"en": [0.05] * 16 + [0.2, 0.42, 0.48, 0.61], "de": [0.1] * 20}  # 3 of 20 above 0.3
    out = raise_for_clean_texts(t, clean, rows, scores, log=lambda *_: None, max_share=0.05)
    assert out["en"]["raised_from"] == 0.3
    assert 0.48 < out["en"]["threshold"] < 0.61  # one clean text of 20 (5%) may stay above it
    assert out["en"]["recall"] == 0.6  # the four toxic tweets at 0.30-0.45 are the price
    assert out["de"]["threshold"] == 0.5 and "raised_from" not in out["de"]  # nothing to raise


# -- the shipped artifact ---------------------------------------------------------------------

COMMON = {"en", "zh", "ru", "fr", "es", "de", "pt", "it", "ja", "ko", "ar", "tr"}


def test_the_shipped_model_loads_and_judges_most_common_languages():
    try:
        backend = NgramToxicityBackend.from_config(None)
    except BackendUnavailable as e:  # pragma: no cover - the artifact is in the repository
        pytest.fail(str(e))
    assert len(backend.languages & COMMON) >= 10
    ev = backend.model.evaluation
    assert ev["weights_sha256"] == backend.model.meta["weights_sha256"]  # measured on these weights
    assert set(ev["languages"]) >= backend.languages  # every judged language was measured


@pytest.mark.parametrize("lang,toxic,clean", [
    ("en", "shut up you worthless stupid idiot, i hate you", "could you help me fix this python error please"),
    ("de", "halt die fresse du dummes arschloch", "kannst du mir bitte bei meinem lebenslauf helfen"),
    ("fr", "ferme ta gueule espèce de connard", "peux-tu m'aider à écrire une lettre de motivation"),
    ("es", "cállate, eres un imbécil de mierda", "¿puedes ayudarme a escribir un correo para mi jefe?"),
    ("ru", "заткнись, тупой урод", "помоги мне, пожалуйста, написать письмо начальнику"),
    ("zh", "你这个傻逼，滚开", "请帮我写一封给老师的感谢信"),
])
def test_the_shipped_model_separates_plain_insults_from_plain_requests(lang, toxic, clean):
    backend = NgramToxicityBackend.from_config(None)
    t, c = backend.score([toxic, clean])
    assert backend.verdict(t, None, lang) is True
    assert backend.verdict(c, None, lang) is False


def test_the_clean_chat_files_of_a_language_are_one_source():
    from tools.toxicity.train import source_group

    assert source_group("chat_massive") == source_group("chat_mintaka") == "chat"
    assert source_group("germeval2018") == "germeval2018"
