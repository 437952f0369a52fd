"""NER backends that are not spaCy pipelines, selectable by name in `pii.models`.

    pii.models: {ru: natasha, zh: jieba, ko: kiwipiepy}

A backend is named after the PyPI distribution that holds its weights, as a spaCy model is, so
whatever checks or versions a model by its distribution (the release's start-up check, the
reuse store's fingerprint) treats both alike.
Each one is built once per worker (in the scrubber's `setup()`, as spaCy models are), reads
only files inside its PyPI wheels and never opens a socket. `entities(text)` returns
(label, start, end) spans with offsets into `text`, labelled like spaCy's (PERSON / PER), so the
recognizers read them as they read spaCy's entities (`PersonEvidenceRecognizer`: NER is one
piece of evidence, never the whole).

- `natasha` (Russian): Natasha's news NER, `slovnet_ner_news_v1` over `navec` news
  embeddings, both shipped in the `natasha` wheel (MIT); labels PER, LOC, ORG. Only `slovnet`,
  `navec` and `razdel` are imported (natasha's own package would import pymorphy2 for nothing).
- `jieba` (Chinese): jieba's part-of-speech tagger (dictionary and HMM in its sdist,
  MIT); words tagged `nr` (person name), `nrfg`, `nrt` (transliterated) are PERSON when its
  HMM found them (a word outside the dictionary: how people's names come out). The dictionary
  also tags common words `nr` (谢谢 "thanks", 明白, 雷达, 武功): a dictionary word counts only
  with three characters or more (韦小宝), or two starting with a common surname that the
  dictionary counts fewer than 1,000 times (李娜, not 荣誉); two equal characters never do.
  A given name the dictionary knows comes out apart from its surname (张 + 桂花 nr): a common
  surname of one character right before the name joins it, and the whole is a name.
- `kiwipiepy` (Korean): Kiwi's morphological analyser (`kiwipiepy` + `kiwipiepy-model`,
  Apache-2.0). Kiwi has no NER: a proper noun (NNP) of three Hangul syllables starting with a
  common surname, or four starting with a two-syllable surname, is PERSON; one ending like a
  place or a language (시, 구, 도, 동, 로, 어, ...) is not. A name Kiwi does not know comes out
  in pieces (김 NNP + 상 NNG + 철 NNG): a proper noun with the nouns written right after it
  (no space) is read as one word.

Texts are analysed one at a time (no batch padding), so a text's entities never depend on the
other texts of its batch.
"""
from __future__ import annotations

import importlib.util
import logging
import os

__all__ = ["BACKENDS", "PACKAGES", "is_backend", "load_backend", "korean_name"]


class _Slovnet:
    def __init__(self):
        from navec import Navec
        from slovnet import NER

        spec = importlib.util.find_spec("natasha")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("the natasha package (its wheel holds the weights) is not installed")
        root = spec.submodule_search_locations[0]
        self._ner = NER.load(os.path.join(root, "data", "model", "slovnet_ner_news_v1.tar"))
        self._ner.navec(Navec.load(os.path.join(root, "data", "emb", "navec_news_v1_1B_250K_300d_100q.tar")))

    def entities(self, text: str) -> list:
        if not text.strip():
            return []
        return [(s.type, s.start, s.stop) for s in self._ner(text).spans]


_JIEBA_PERSON = frozenset(("nr", "nrfg", "nrt"))


class _Jieba:
    def __init__(self):
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        from transforms.pii.names import CJK_SURNAMES

        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        self._pos = jieba.posseg.POSTokenizer(tokenizer)
        self._freq, self._surnames = tokenizer.FREQ, frozenset(CJK_SURNAMES)

    def _name(self, word: str) -> bool:
        if not 2 <= len(word) <= 4 or len(set(word)) == 1:
            return False
        freq = self._freq.get(word, 0)
        if not freq:
            return True  # found by the HMM, not in the dictionary
        return len(word) >= 3 or word[0] in self._surnames and freq < 1000

    def entities(self, text: str) -> list:
        out, at, before = [], 0, None  # before: (start, end) of the previous word
        for pair in self._pos.cut(text):
            start = text.find(pair.word, at)
            if start < 0:  # jieba yields the text piece by piece; never seen, but stay safe
                continue
            at = start + len(pair.word)
            if pair.flag in _JIEBA_PERSON:
                if before and before[1] == start and before[1] - before[0] == 1 and text[before[0]] in self._surnames \
                        and len(pair.word) <= 2 and (not out or out[-1][2] <= before[0]):
                    out.append(("PERSON", before[0], at))  # 张 + 桂花
                elif self._name(pair.word):
                    out.append(("PERSON", start, at))
            before = (start, at)
        return out


# Common Korean surnames (family names of one syllable, then the two-syllable ones).
_KO_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현"
                         "함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부")
_KO_COMPOUND = frozenset(("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절"))
# Endings of place and institution names, not of given names people are usually called by.
_KO_PLACE_END = frozenset("시구군도동읍면리로길역산강섬국관원청교당어")
_KO_NOUNS = frozenset(("NNP", "NNG", "NNB"))


def _hangul(word: str) -> bool:
    return all("\uac00" <= ch <= "\ud7a3" for ch in word)


def korean_name(word: str) -> bool:
    """Whether a proper noun is shaped like a Korean person's name."""
    if not _hangul(word) or word[-1] in _KO_PLACE_END:
        return False
    if len(word) == 3:
        return word[0] in _KO_SURNAMES
    return len(word) == 4 and word[:2] in _KO_COMPOUND


class _Kiwi:
    def __init__(self):
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi(num_workers=0)  # one thread: the worker's cores are the pipeline's

    def entities(self, text: str) -> list:
        out, toks = [], self._kiwi.tokenize(text)
        i = 0
        while i < len(toks):
            if toks[i].tag != "NNP":
                i += 1
                continue
            start, end, j = toks[i].start, toks[i].start + toks[i].len, i + 1
            # the nouns that follow with no space between: one word Kiwi did not know
            while j < len(toks) and toks[j].tag in _KO_NOUNS and toks[j].start == end and end - start < 4:
                end, j = toks[j].start + toks[j].len, j + 1
            if korean_name(text[start:end]):
                out.append(("PERSON", start, end))
            elif j > i + 1 and korean_name(text[toks[i].start:toks[i].start + toks[i].len]):
                out.append(("PERSON", toks[i].start, toks[i].start + toks[i].len))
            i = j if korean_name(text[start:end]) else i + 1
        return out


BACKENDS = {"natasha": _Slovnet, "jieba": _Jieba, "kiwipiepy": _Kiwi}
# The modules each backend imports (to tell whether it is installed without loading it).
PACKAGES = {"natasha": ("natasha", "slovnet", "navec", "razdel"), "jieba": ("jieba",),
            "kiwipiepy": ("kiwipiepy", "kiwipiepy_model")}


def is_backend(model: str) -> bool:
    return model in BACKENDS


def load_backend(model: str):
    """The backend called `model`; ImportError when its package is not installed."""
    return BACKENDS[model]()
