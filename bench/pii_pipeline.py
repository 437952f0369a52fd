"""A Beam pipeline that runs only the PII stage over conversations from a JSONL file, so its
throughput with the runner's workers can be measured (`make bench` calls it)."""
from __future__ import annotations

import os
import sys

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import apache_beam as beam  # noqa: E402
import orjson  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions  # noqa: E402

from pipelines.config import PiiConfig  # noqa: E402
from transforms.pii import ScrubPii  # noqa: E402


def _redacted(conv):
    return sum(m["redacted"] for m in conv["messages"])


def main(argv):
    src, out, *beam_args = argv
    with beam.Pipeline(options=PipelineOptions(beam_args)) as p:
        scrubbed = (
            p
            | "Read" >> beam.io.ReadFromText(src)
            | "Parse" >> beam.Map(orjson.loads)
            # One input file is one bundle: spread it so both workers scrub.
            | "Spread" >> beam.Reshuffle()
            | "Scrub" >> ScrubPii(PiiConfig()))
        (scrubbed.conversations
         | "Redacted" >> beam.Map(_redacted)
         | "Sum" >> beam.CombineGlobally(sum)
         | "Write" >> beam.io.WriteToText(out, shard_name_template=""))


if __name__ == "__main__":
    main(sys.argv[1:])
