"""One recognizer per kind of PII; `build_recognizers(entities, gazetteer)` picks the policy's.

Adding a recognizer: one small module with a `Recognizer` subclass, listed in `_FACTORIES`.
"""
from __future__ import annotations

__all__ = ["build_recognizers"]


def _factories():
    from transforms.pii.recognizers.address_block import AddressBlockRecognizer
    from transforms.pii.recognizers.address_east_asia import EastAsianAddressRecognizer
    from transforms.pii.recognizers.card import CardRecognizer
    from transforms.pii.recognizers.email import EmailRecognizer
    from transforms.pii.recognizers.iban import IbanRecognizer
    from transforms.pii.recognizers.ip import IpRecognizer
    from transforms.pii.recognizers.person_caps import PersonCapsRecognizer
    from transforms.pii.recognizers.person_cues import PersonCueRecognizer
    from transforms.pii.recognizers.person_evidence import PersonEvidenceRecognizer
    from transforms.pii.recognizers.person_lowercase import PersonLowercaseRecognizer
    from transforms.pii.recognizers.person_nouns import PersonNounRecognizer
    from transforms.pii.recognizers.person_roles import PersonRoleRecognizer
    from transforms.pii.recognizers.phone import PhoneRecognizer
    from transforms.pii.recognizers.secrets import SecretRecognizer
    from transforms.pii.recognizers.ssn import SsnRecognizer

    return (
        ("EMAIL_ADDRESS", lambda gaz: EmailRecognizer()),
        ("PHONE_NUMBER", lambda gaz: PhoneRecognizer()),
        ("CREDIT_CARD", lambda gaz: CardRecognizer()),
        ("IBAN_CODE", lambda gaz: IbanRecognizer()),
        ("IP_ADDRESS", lambda gaz: IpRecognizer()),
        ("US_SSN", lambda gaz: SsnRecognizer()),
        ("STREET_ADDRESS", AddressBlockRecognizer),  # the street lines of address.py, as blocks
        ("STREET_ADDRESS", EastAsianAddressRecognizer),  # zh / ja / ko, province to room in one span
        ("SECRET", lambda gaz: SecretRecognizer()),
        ("PERSON", PersonCueRecognizer),
        ("PERSON", PersonEvidenceRecognizer),
        ("PERSON", PersonRoleRecognizer),
        ("PERSON", PersonCapsRecognizer),  # "JOHN SMITH", "DETECTIVE JONES:"
        ("PERSON", PersonLowercaseRecognizer),  # "an apology to sonia bolaños", "me and lotte"
        ("PERSON", PersonNounRecognizer),  # "the Okafor family", "Tavi's birthday"
    )


def build_recognizers(entities, gazetteer) -> list:
    """The recognizers for `entities`, in a fixed order (the output does not depend on it)."""
    wanted = set(entities)
    return [make(gazetteer) for entity, make in _factories() if entity in wanted]
