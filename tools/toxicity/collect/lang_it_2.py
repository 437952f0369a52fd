"""Italian (it), second TRAIN source: HaSpeeDe 2018, Facebook part.

The Facebook training file has the layout of the Twitter one (id TAB text TAB hs, no header),
so lang_it's parser reads it; raw pages follow lang_de's layout (page<N> = the stored file's
16,000-character page at offset N * 16000, saved verbatim; rows cut at a page edge are
dropped). sources/it.md says which repository, path and commit the file comes from.

    python -m tools.toxicity.collect.lang_it_2
"""
from __future__ import annotations

from tools.toxicity.collect.lang_de import TRAIN
from tools.toxicity.collect.lang_it import haspeede
from tools.toxicity.collect.tsvgz import write


def main() -> None:
    out = TRAIN / "it.haspeede2018_fb.tsv.gz"
    print(out, write(out, haspeede("it.haspeede2018_fb")))


if __name__ == "__main__":
    main()
