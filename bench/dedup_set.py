"""A seeded set of conversations with planted exact and near duplicates, for the duplicate
detection bench (`python -m bench.dedup_bench`).

    python -m bench.dedup_set --conversations 10000 --seed 2 --out bench/out/dedup-set.jsonl

Originals are English chat prompts: a task opening from one of 18 templates (some naming a
person, "Write an email to Olivia Baker ..."), then 1-6 sentences of body text (Faker's
English word list), so lengths run from about a dozen words to about a hundred, and unrelated
prompts share words the way real prompts do (same templates, common words). With
`--short-share`, that share of originals is the opening alone (the stress case below). A
share of the originals gets copies, each one of:

  exact        the same conversation, its text re-cased and re-spaced
  reorder      the first prompt's sentences in another order and two pairs of neighbouring
               words swapped; the rest of the conversation differs
  punctuation  the first prompt's punctuation changed (marks removed, replaced or added)
  name         the person named in the first prompt replaced by another name
  mixed        punctuation and name changed together

The truth: each original and its copies form one cluster; everything else is unique (hard
negatives included: prompts from the same templates). Nothing here was read by the detector's
rules; its threshold and word rules were set before this set existed (seed 1 is the `tune`
split the bench was developed on, seed 2 the `heldout` one whose numbers the README gives).
"""
from __future__ import annotations

import argparse
import json
import random

__all__ = ["make_set", "KINDS"]

KINDS = ("exact", "reorder", "punctuation", "name", "mixed")
T0 = 1_700_000_000_000_000  # epoch microseconds
MODELS = ("gpt-3.5-turbo-0613", "gpt-4-0314", "gpt-4-1106-preview")

OPENINGS = [
    "Write a poem about {topic}.",
    "Write a short story about {topic} for my {relative}.",
    "Explain {topic} in simple terms.",
    "Can you summarise the following text about {topic}?",
    "Give me five ideas for a blog post about {topic}.",
    "What are the pros and cons of {topic}?",
    "Translate this paragraph into French, please.",
    "Help me plan a weekend trip focused on {topic}.",
    "Write an email to {name} about {topic}.",
    "My colleague {name} asked me to explain {topic}, can you help?",
    "Draft a polite reply to {name}, who wants to reschedule our meeting.",
    "Write a birthday message for {name}, who loves {topic}.",
    "Please correct the grammar in this letter to {name}.",
    "Create a lesson plan about {topic} for ten year olds.",
    "I am writing a report on {topic}; what should the outline be?",
    "Compose a song about {topic} in the style of a sea shanty.",
    "Act as a career coach and review my CV for {name}.",
    "Summarise the main arguments for and against {topic}.",
]
TOPICS = ["climate change", "the French revolution", "quantum computing", "healthy breakfast",
          "remote work", "electric cars", "the history of jazz", "machine learning",
          "urban gardening", "the stock market", "meditation", "ancient Rome", "space travel",
          "renewable energy", "social media", "chess openings", "the water cycle", "photography",
          "learning Spanish", "the immune system", "cryptocurrency", "volcanoes", "minimalism",
          "public transport", "black holes", "coffee brewing", "the Olympic games", "sleep"]
RELATIVES = ["daughter", "son", "niece", "nephew", "grandmother", "little brother"]


def _opening(opening: str, topic: str, relative: str) -> str:
    return opening.format(topic=topic, relative=relative, name="{name}")


# Every opening an original can have without a body (the name left out)
_OPENINGS_WITHOUT_NAME = {_opening(o, t, r) for o in OPENINGS for t in TOPICS for r in RELATIVES}


def _prompt(fake, rng, used: set, short_share: float) -> tuple:
    """(text, name or None) of an original: an opening, then 1-6 sentences of body, or (with
    probability `short_share`) the opening alone. Two originals never share an opening without
    a body (the name does not count: a changed name is a planted copy), since such a pair
    would be a duplicate the truth does not know; once every opening is used, a body is added."""
    while True:
        opening, topic, relative = rng.choice(OPENINGS), rng.choice(TOPICS), rng.choice(RELATIVES)
        sentences = 0 if rng.random() < short_share else 1 + min(5, int(rng.expovariate(0.6)))
        key = _opening(opening, topic, relative)
        if sentences or key not in used:
            break
        if len(used) >= len(_OPENINGS_WITHOUT_NAME):
            sentences = 1
            break
    if not sentences:
        used.add(key)
    name = f"{fake.first_name()} {fake.last_name()}" if "{name}" in opening else None
    text = opening.format(topic=topic, relative=relative, name=name)
    body = [fake.sentence(nb_words=rng.randint(6, 16)) for _ in range(sentences)]
    return " ".join([text, *body]), name


def _recase(text: str, rng) -> str:
    words = text.split(" ")
    return "  ".join(w.upper() if rng.random() < 0.3 else w for w in words) + " \n"


def _reorder(text: str, rng) -> str:
    sentences = [s for s in text.replace("?", "?|").replace(".", ".|").split("|") if s.strip()]
    if len(sentences) > 1:
        rng.shuffle(sentences)
    words = " ".join(s.strip() for s in sentences).split()
    for _ in range(2):
        if len(words) > 2:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _punctuate(text: str, rng) -> str:
    out = []
    for ch in text:
        if ch in ".,;?!":
            r = rng.random()
            out.append("" if r < 0.4 else rng.choice("!?...;,") if r < 0.8 else ch + ch)
        else:
            out.append(ch)
    return "".join(out) + rng.choice(("", "!!", " ?", "..."))


def _rename(text: str, name: str, fake) -> str:
    other = name
    while other == name:
        other = f"{fake.first_name()} {fake.last_name()}"
    return text.replace(name, other)


def _reply(fake, rng) -> str:
    return fake.paragraph(nb_sentences=rng.randint(2, 6))


def _conversation(fake, rng, first_prompt: str) -> list:
    messages = [{"role": "user", "content": first_prompt}, {"role": "assistant", "content": _reply(fake, rng)}]
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        messages += [{"role": "user", "content": fake.sentence(nb_words=rng.randint(4, 14))},
                     {"role": "assistant", "content": _reply(fake, rng)}]
    return messages


def make_set(conversations: int, seed: int, copied_share: float = 0.25,
             short_share: float = 0.0) -> list:
    """`conversations` rows {conversation_id, timestamp (epoch us), model, language,
    conversation, cluster, kind}: `cluster` is the truth (shared by an original and its
    copies), `kind` is "original" or one of KINDS. `short_share`: originals that are an
    opening alone ("Write a short story about sleep for my son."); two of one template differ
    in a word or two, as much as a changed name does, and the truth calls them distinct: a
    stress case for precision, not the main set."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rows: list = []

    def add(messages, cluster, kind):
        i = len(rows)
        rows.append({"conversation_id": f"{seed}{i:07d}-{seed}{i:07d}",
                     "timestamp": T0 + rng.randrange(30 * 86_400) * 1_000_000,
                     "model": rng.choice(MODELS), "language": "English",
                     "conversation": messages, "cluster": cluster, "kind": kind})

    cluster, used = 0, set()
    while len(rows) < conversations:
        cluster += 1
        prompt, name = _prompt(fake, rng, used, short_share)
        original = _conversation(fake, rng, prompt)
        add(original, cluster, "original")
        if rng.random() >= copied_share:
            continue
        for _ in range(min(conversations - len(rows), 1 + int(rng.expovariate(1.0)))):
            kind = rng.choice(KINDS if name else KINDS[:3])
            if kind == "exact":
                add([{**m, "content": _recase(m["content"], rng)} for m in original], cluster, kind)
                continue
            text = {"reorder": lambda: _reorder(prompt, rng),
                    "punctuation": lambda: _punctuate(prompt, rng),
                    "name": lambda: _rename(prompt, name, fake),
                    "mixed": lambda: _punctuate(_rename(prompt, name, fake), rng)}[kind]()
            add(_conversation(fake, rng, text), cluster, kind)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--short-share", type=float, default=0.0)
    parser.add_argument("--out", required=True, help="JSON lines file to write")
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in make_set(args.conversations, args.seed, short_share=args.short_share):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
