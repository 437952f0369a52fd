"""The NER models adopted for languages English and French models do not cover (README "NER
models per language"): ja_ginza (spaCy), and the backends of transforms/pii/ner_backends.py,
jieba (zh), kiwipiepy (ko), natasha (ru). Each: a name in a native sentence is
redacted, a technical text in the language comes out byte-identical, reruns give the same
bytes, and nothing opens a socket while the models load and run.

Every text here was written for these tests (no evaluation text, no evaluation name)."""
from __future__ import annotations

import socket

import pytest

from pipelines.config import load_config
from tests.conftest import ROOT
from transforms.pii.engines import ModelMissing, NerEngine, is_installed, load_model
from transforms.pii.ner_backends import korean_name
from transforms.pii.scrubber import PiiScrubber

ADOPTED = {"ja": "ja_ginza", "zh": "jieba", "ko": "kiwipiepy", "ru": "natasha"}


@pytest.fixture(scope="module")
def offline_scrubber():
    """A scrubber with the four models, built and warmed up with sockets refused."""
    real = socket.socket

    class Refused(real):
        def __init__(self, *args, **kwargs):
            raise AssertionError("a NER model tried to open a socket")

    socket.socket = Refused
    try:
        scrubber = PiiScrubber(dict(ADOPTED))
        for lang, text in NATIVE.items():
            scrubber.scrub_conversations([_conv(text[0], lang)])
    finally:
        socket.socket = real
    return scrubber


def _conv(text, lang):
    return {"conversation_id": "c", "messages": [{"role": "user", "content": text, "language_code": lang}]}


def _scrub(scrubber, text, lang):
    return scrubber.scrub_conversations([_conv(text, lang)]).conversations[0]["messages"][0]["content"]


# lang -> (text, the names in it)
NATIVE = {
    "ja": ("来週の打ち合わせには高橋誠一さんと森本あかねさんが参加します。資料を準備してください。",
           ["高橋誠一", "森本あかね"]),
    "zh": ("明天下午请把报价单发给赵文博，他会转交给财务部的孙丽娟。", ["赵文博", "孙丽娟"]),
    "ko": ("다음 주 회의에 정우성 대리와 윤하늘 과장이 참석합니다. 자료를 준비해 주세요.", ["정우성", "윤하늘"]),
    "ru": ("Завтра Михаил Андреевич Соболев передаст ключи Ксении Лаптевой у входа.",
           ["Михаил", "Соболев", "Лаптевой"]),
}
TECHNICAL = {
    "ja": "`pip install pandas` の後に `import pandas as pd` を実行すると ModuleNotFoundError: No module "
          "named 'pandas' と表示されます。仮想環境は .venv で、Python 3.11 です。どうすれば直りますか？",
    "zh": "运行 `docker compose up -d` 之后，日志显示 `Error: port 5432 is already allocated`。"
          "请问怎么查看是哪个进程占用了这个端口？我用的是 Ubuntu 22.04。",
    "ko": "`git rebase -i HEAD~3` 을 실행했더니 충돌이 났습니다. `git status` 결과는 both modified: src/main.rs 입니다. "
          "어떻게 해결하나요?",
    "ru": "После `npm install` сборка падает с ошибкой TypeError: Cannot read properties of undefined "
          "(reading 'map') в файле src/App.jsx, строка 42. Версия Node 20. Что не так?",
}


@pytest.mark.parametrize("path", ["configs/sample.yaml", "configs/release.yaml"])
def test_adopted_models_are_configured(path):
    assert ADOPTED.items() <= load_config(str(ROOT / path)).pii.models.items()
    assert all(is_installed(m) for m in ADOPTED.values())


@pytest.mark.parametrize("lang", sorted(NATIVE))
def test_name_in_native_sentence_is_redacted(offline_scrubber, lang):
    text, names = NATIVE[lang]
    out = _scrub(offline_scrubber, text, lang)
    assert "[PERSON_" in out
    for name in names:
        assert name not in out, (name, out)


@pytest.mark.parametrize("lang", sorted(TECHNICAL))
def test_technical_text_unchanged(offline_scrubber, lang):
    assert _scrub(offline_scrubber, TECHNICAL[lang], lang) == TECHNICAL[lang]


def test_same_bytes_on_rerun_and_in_a_batch(offline_scrubber):
    convs = [_conv(t, lang) for lang, (t, _) in NATIVE.items()] + [_conv(t, lang) for lang, t in TECHNICAL.items()]
    first = offline_scrubber.scrub_conversations(convs).conversations
    fresh = PiiScrubber(dict(ADOPTED))
    alone = [fresh.scrub_conversations([c]).conversations[0] for c in reversed(convs)][::-1]
    assert first == alone


def test_backends_give_offsets_into_the_text():
    engine = NerEngine({"zh": "jieba", "ko": "kiwipiepy"})
    text = "Ticket #42 — 负责人：王建国， 抄送  林晓彤 (QA)"
    [res] = engine.run("zh", [text])
    assert ("PERSON", text.index("林晓彤"), text.index("林晓彤") + 3) in res.entities
    text = "오늘   한지민 님이  온다고 했어요."
    [res] = engine.run("ko", [text])
    assert [text[s:e] for label, s, e in res.entities if label == "PERSON"] == ["한지민"]


def test_long_japanese_text_is_chunked_for_sudachi():
    engine = NerEngine({"ja": "ja_ginza"}, chunk_chars=100_000)
    text = "明日は晴れるでしょう。" * 1800 + "最後に小池まゆみさんへ連絡します。"  # about 60 KB in UTF-8
    [res] = engine.run("ja", [text])
    assert res.chunked and any(text[s:e] == "小池まゆみ" for label, s, e in res.entities if label == "PERSON")


@pytest.mark.parametrize("word, expected", [
    ("김하준", True), ("남궁민수", True), ("서울시", False), ("강남구", False), ("한국어", False), ("하준", False),
    ("Kim", False),
])
def test_korean_name_shape(word, expected):
    assert korean_name(word) is expected


def test_missing_backend_package_is_fatal(monkeypatch):
    import transforms.pii.ner_backends as nb

    def broken():
        raise ImportError("No module named 'jieba'")

    monkeypatch.setitem(nb.BACKENDS, "jieba", broken)
    with pytest.raises(ModelMissing, match="jieba"):
        load_model("jieba")
