"""Italian (it), more TRAIN rows (issue 19): further pages of HaSpeeDe 2018 (Facebook and Twitter).

The pages come from the same two training files as lang_it / lang_it_2 (msang/haspeede), at
offsets not used before; they are saved as `it.haspeede2018_fb_more.page<N>.tsv` and
`it.haspeede2018_tw_more.page<N>.tsv` (page<N> = the stored file's 16,000-character page at
offset N * 16000, saved verbatim) so the earlier converters do not pick them up. lang_it's
HaSpeeDe parser reads them (id TAB text TAB hs; hs 1 -> 1, 0 -> 0; source_id = the row id).
Rows whose text is already in another Italian training file are dropped (lang_de_3.new_only).
sources/it.md has the provenance.

    python -m tools.toxicity.collect.lang_it_3
"""
from __future__ import annotations

import gzip

from tools.toxicity.collect.lang_de import TRAIN
from tools.toxicity.collect.lang_de_3 import existing_texts, new_only
from tools.toxicity.collect.lang_it import haspeede
from tools.toxicity.collect.tsvgz import write

OUTPUTS = {
    "it.haspeede2018_fb_more": TRAIN / "it.haspeede2018_fb_more.tsv.gz",
    "it.haspeede2018_tw_more": TRAIN / "it.haspeede2018_tw_more.tsv.gz",
}


def main() -> None:
    seen = existing_texts("it", OUTPUTS.values())
    for stem, out in OUTPUTS.items():
        print(out, write(out, new_only(haspeede(stem), seen)))
        with gzip.open(out, "rt", encoding="utf-8") as fh:  # later files skip these texts too
            seen.update(line.split("\t", 1)[0] for line in list(fh)[1:])


if __name__ == "__main__":
    main()
