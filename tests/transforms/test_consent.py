"""KeepConsented: only turns whose user said yes are released; the others are counted."""
import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn
from tests.transforms.test_parse import counters
from transforms.consent import NO_CONSENT, KeepConsented


def turn(turn_id: int, consent: bool) -> Turn:
    return Turn(turn_id, 0, "m", (("user", "q"),), "a", {}, consent, "f", turn_id, hashed_ip="h")


def test_only_consenting_turns_go_on_and_the_others_are_counted_by_id():
    p = TestPipeline()
    out = p | beam.Create([turn(1, True), turn(2, False), turn(3, True), turn(4, False)]) | KeepConsented()
    assert_that(out.consented | beam.Map(lambda t: t.turn_id), equal_to([1, 3]), label="Kept")
    assert_that(out[NO_CONSENT], equal_to([2, 4]), label="NoConsent")
    result = p.run()
    result.wait_until_finish()
    assert counters(result, "consent") == {"total": 4, "forwarded": 2, "dropped_no_consent": 2}
