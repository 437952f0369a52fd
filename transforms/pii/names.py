"""What a personal name looks like, shared by the name recognizers and the conversation's names.

Tokens, particles ("van", "de", "bin"), honorifics and titles in many languages, role words
that follow a salutation without being a name ("Dear Hiring Manager"), and name shapes
(initials, patronymic and surname suffixes: -son, -dóttir, -ová, -ovich, -escu, ...).
"""
from __future__ import annotations

import regex

__all__ = ["ADDRESSING_WORDS", "NAME_WORD", "HONORIFIC", "RELATION_WORDS", "NOT_NAMES", "NOT_PERSON_WORDS", "grow_name", "cjk_given_name", "PARTICLES", "HONORIFIC_BEFORE", "STRONG_HONORIFIC", "ROLE_WORDS", "has_name_shape", "name_parts",
           "is_initial", "CJK_NAME", "CJK_SURNAMES"]

# A capitalized name word: "Anna", "O'Neil", "Jean-Luc", "McDonald", "Sigríður".
NAME_WORD = r"\p{Lu}[\p{Ll}\p{Lm}]*(?:['’\-]\p{Lu}?[\p{Ll}\p{Lm}]+)*(?:\p{Lu}[\p{Ll}\p{Lm}]+)?"
PARTICLES = frozenset("van von de del della der den di da du dos das la le bin binti ibn al el ben y e "
                      "ter ten zu af av".split())
_HONORIFICS = (
    "Mr", "Mrs", "Ms", "Mx", "Miss", "Mister", "Madam", "Dr", "Doctor", "Prof", "Professor", "Sir", "Dame",
    "Lady", "Lord", "Rev", "Reverend", "Fr", "Father", "Sister", "Brother", "Capt", "Captain", "Col",
    "Colonel", "Gen", "General", "Lt", "Sgt", "Hon", "Judge", "Officer", "Agent", "Coach", "Uncle", "Aunt",
    "Auntie", "Grandma", "Grandpa", "Herr", "Frau", "Hr", "Fru", "Fräulein", "Mme", "Mlle", "Monsieur",
    "Madame", "Mademoiselle", "Maître", "Me", "Sr", "Sra", "Srta", "Señor", "Señora", "Señorita", "Don",
    "Doña", "Dña", "Dott", "Dott.ssa", "Sig", "Sig.ra", "Signor", "Signora", "Signore", "Ing", "Avv",
    "Pan", "Pani", "Dhr", "Mevr", "Mevrouw", "Meneer", "Sn", "Bay", "Bayan", "Tuan", "Puan", "Bapak", "Pak",
    "Ibu", "Bu", "Sayın", "Senhor", "Senhora", "Dona", "Exmo", "Exma", "Г-н", "г-н", "Г-жа", "г-жа",
    "господин", "госпожа", "Господин", "Госпожа",
    # typed in lower case
    "mr", "mrs", "ms", "dr", "prof", "herr", "frau", "sr", "sra", "srta", "sig", "sig.ra", "dott", "mme", "mlle",
)
# "M." (Monsieur) only with its dot: "Anders M Broberg" holds an initial, not a title.
HONORIFIC = "(?:(?:" + "|".join(regex.escape(h) for h in sorted(_HONORIFICS, key=len, reverse=True)) + r")\.?|M\.)"
# Titles that make one capitalized word after them a person ("Sig.ra Farnese", "ms. Guadalupe"):
# forms of address only, not ranks or kin words that also start other names ("General Motors",
# "Father Christmas", "Lady Gaga" aside).
STRONG_HONORIFIC = regex.compile(
    r"(?<![\p{L}.])(?:(?i:mr|mrs|ms|mx|dr|prof|sr|sra|srta|sig|dott|mme|mlle|dhr|mevr|"
    r"hr|fr|avv|ing|pr|me)\.|(?i:mr|mrs|ms|mx|dr|sig\.ra|sig\.na|dott\.ssa)|Miss|Mister|Herr|Frau|Monsieur|Madame|Mademoiselle|Señor|Señora|"
    r"Señorita|Signor|Signora|Signorina|Mevrouw|Meneer|Pani|Senhor|Senhora|Г-н|г-н|Г-жа|г-жа|господин|госпожа|"
    r"Господин|Госпожа|M\.)[ \t]+$")
# "Dr. ", also compound titles such as "Univ.Prof. " and "Dipl.-Ing. ".
HONORIFIC_BEFORE = regex.compile(rf"(?<!\w){HONORIFIC}[ \t]+$")
# Words that follow "Dear"/"Hi"/"Name:" without being names.
ROLE_WORDS = frozenset("""
sir sirs madam madame mesdames messieurs all everyone everybody team teams hiring manager managers
recruiter recruiters recruitment committee board members member customer customers client clients
colleague colleagues friend friends parent parents guardian guardians student students applicant
applicants candidate candidates user users reader readers author authors editor editors admissions
support sales service services department office hr human resources landlord tenant neighbor
neighbour neighbors neighbours partner partners valued respected honorable honourable future
prospective hello hi hey greetings dear sincerely regards thanks thank kind best warm yours
professor doctor mister miss mrs ms mr dr prof officer agent coach god lord santa mom mum dad
mother father grandma grandpa family community citizens residents patient patients owner owners
tutor teacher teachers principal director directors ceo cto president chair chairman chairperson
secretary treasurer staff employee employees employer employers manager supervisor boss lead
developer developers engineer engineers maintainer maintainers contributor contributors
""".split())
# Words for people close to the speaker; a name often follows ("my friend Ellen", "мой начальник ...").
RELATION_WORDS = frozenset("""
friend boyfriend girlfriend wife husband partner fiancé fiancée son daughter mother father mom mum dad
brother sister cousin uncle aunt niece nephew grandfather grandmother grandson granddaughter grandpa grandma
colleague coworker co-worker boss manager neighbor neighbour teacher student classmate roommate landlord
tenant client customer patient doctor lawyer employee assistant mentor coach nachbar nachbarin freund
freundin kollege kollegin chef chefin vermieter vermieterin mieter mieterin mutter vater bruder schwester
sohn tochter ehemann ehefrau oma opa ami amie voisin voisine collègue patron patronne propriétaire mère
père frère sœur femme mari fils fille amigo amiga vecino vecina compañero compañera jefe jefa casero
casera madre padre hermano hermana esposo esposa hijo hija amico amica vicino vicina collega capo
padrone fratello sorella moglie marito figlio figlia vriend vriendin buurman buurvrouw baas huisbaas
moeder vader broer zus друг друга подруга подруги подруге коллега коллеги начальник начальника
начальница мама мамы папа папы брат брата сестра сестры жена жены муж мужа сосед соседа соседка
соседки сын сына дочь дочери
""".split())
# Capitalized words that the gazetteer may list but that are almost never a person here.
NOT_NAMES = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december montag dienstag mittwoch donnerstag freitag samstag sonntag
lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
septembre octobre novembre décembre lunes martes miércoles jueves viernes sábado domingo enero febrero
marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre christmas easter god jesus
allah buddha internet earth moon sun mars venus jupiter saturn english french i'd i'm i'll i've i’d i’m i’ll i’ve
german spanish italian chinese japanese russian arabic american british european african asian
""".split())
# Words that make a capitalized run a company, a place or a thing, not a person.
NOT_PERSON_WORDS = frozenset("""
ltd ltd. inc inc. llc gmbh ag sa s.a. corp corp. co co. plc bv nv spa srl sarl kg ohg ug oy ab as asa
group holdings holding bank club company partners capital fund trust university college school institute
limited ventures corporation corp industrie industries investments privatbank sas gbr e.v. ev stiftung
saint sainte san santa st ste monte mount port fort lake new bad villa ville
hospital clinic hotel restaurant cafe café church museum foundation association society council ministry
department agency services solutions systems technologies technology labs laboratory studio studios
airlines airways motors media news press records pharma pharmaceuticals energy acquisition industries
international global street road avenue lane drive park city county state republic kingdom island
""".split())
# Surname and patronymic endings ("Jónsdóttir", "Nováková", "Petrovich", "Popescu", "Papadopoulos").
_SHAPE = regex.compile(
    r"(?:sson|dóttir|dottir|ová|ovna|evna|ovich|evich|ovič|ović|ević|ovski|evski|owski|ewski|"
    r"ińska|ińska|inski|insky|enko|escu|poulos|opoulos|akis|idis|oğlu|oglu|yan|shvili|adze|ov|ova|ev|eva|"
    r"sen|ssen|ов|ова|ев|ева|ёв|ёва|ский|ская|цкий|цкая|енко|ович|евич|овна|евна)$")


def is_initial(word: str) -> bool:
    return len(word) <= 2 and word[0].isupper() and (len(word) == 1 or word[1] == ".")


def has_name_shape(word: str) -> bool:
    return len(word) >= 5 and word[0].isupper() and bool(_SHAPE.search(word))


def name_parts(name: str) -> list:
    """Parts of a multi-word name that can stand alone ("John Smith" -> John, Smith); initials,
    particles, honorifics and role words are not parts."""
    words = [w.strip(".,") for w in name.split()]
    if len(words) < 2:
        return []
    return [w for w in words if len(w) >= 3 and w[0].isupper() and w.replace("-", "").replace("'", "").isalpha()
            and w.casefold() not in PARTICLES and w.casefold() not in ROLE_WORDS]


# The most common Chinese surnames (single characters), for names after a cue in Han text.
CJK_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
                "殷纪柳尚齐康伍乔赖庞樊兰施洪翟颜倪牛温芦季俞章鲁葛申尤毕聂丛焦柴舒邢费裴池鲍项祁卜甘麦褚包宁蓝"
                "窦岳闵盛仇饶宫苗佟骆边房查廉"
                # further frequent ones (not words that often open a phrase after 我是: 上, 时, 党, 游)
                "傅常关左欧蒙靳邬仝梅童滕霍虞谷穆萧阎景翁谈阮符鞠艾蔺桑牟冉宗柏钮郎辛荣卓屈巫晏曲储芮娄凌詹祝缪耿喻"
                "甄郁柯戚厉岑巩佘卞邝湛阚隋姬綦晁沙蒲苑敖匡"
                "張劉陳楊黃趙吳鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒龔萬錢嚴湯")
# Two-character surnames, tried first ("欧阳丽华" is 欧阳 + 丽华, not 欧 + 阳丽).
CJK_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
                         "宇文", "司徒", "夏侯", "轩辕", "歐陽", "諸葛", "長孫")
CJK_NAME = rf"(?:{'|'.join(CJK_COMPOUND_SURNAMES)}|[{CJK_SURNAMES}])[\p{{Han}}]{{1,2}}"


_JA_KANJI_KANA = regex.compile(r"^(?P<family>[\p{Han}々]{1,3})(?P<given>[\p{Hiragana}\p{Katakana}ー]{2,})$")


def cjk_given_name(name: str) -> list:
    """Shorter forms of a Chinese or Japanese name that replies use alone: of a Chinese name of
    three characters the given name ("纪雪梅" -> "雪梅") and the first two characters (a cue
    cannot tell "王丽" from "王丽写"); of a Japanese name the family name in kanji and the given
    name in kana ("木村さゆり" -> "木村", "さゆり"); of four kanji, both halves ("佐藤健一")."""
    han = all("\u4e00" <= ch <= "\u9fff" or ch == "々" for ch in name)
    if len(name) == 3 and name[0] in CJK_SURNAMES and han:
        return [name[1:], name[:2]]
    m = _JA_KANJI_KANA.match(name)
    if m:
        return [m.group("given")] + ([m.group("family")] if len(m.group("family")) >= 2 else [])
    if len(name) == 4 and han:
        return [name[:2], name[2:]]
    return []


_PARTICLE_ALT = "|".join(sorted(PARTICLES | {"'t", "’t"}, key=len, reverse=True))
# After a name: particles then a capitalized word ("van der Velden", "van 't Erve"), an initial
# then a capitalized word ("T. Rojas", "M Broberg"), or a capitalized word.
_GROW_RIGHT = regex.compile(
    rf"[ \t]+(?:(?:(?:{_PARTICLE_ALT})[ \t]+)+|\p{{Lu}}\.?[ \t]+)?(?P<word>{NAME_WORD})(?![\p{{L}}\d])")
_GROW_LEFT = regex.compile(rf"(?<![\p{{L}}\d.])(?P<word>{NAME_WORD})[ \t]+(?:(?P<initial>\p{{Lu}}\.?)[ \t]+)?$")
_NEXT_WORD = regex.compile(r"[ \t]+([\p{L}.&]+)")


# Words that address or introduce someone, so they stand before a name without being part of it.
_ADDRESSING_WORDS = frozenset("""
contact call email mail text ask tell thank thanks meet invite pay write send remind reply message ping cc bcc
attn attention from to via per sign signed regards cheers hi hello hey dear with for by and or
""".split())
ADDRESSING_WORDS = _ADDRESSING_WORDS
# "[Anna]-Luise", and a hyphenated initial before a surname: "[Klaus]-D. Brenner".
_HYPHEN_RIGHT = regex.compile(r"-\p{Lu}(?:[\p{Ll}\p{Lm}]+|\.(?=[ \t]+\p{Lu}))")
_HYPHEN_LEFT = regex.compile(r"\p{Lu}[\p{Ll}\p{Lm}]+-$")


def _english_stop_words() -> frozenset:
    # ("Stacy and Jason" typed in lower case reads "Stacy And Jason": "And" is no surname)
    from transforms.pii.gazetteer import stop_words

    return stop_words(("en",))


def grow_name(text: str, start: int, end: int, gazetteer, loose: bool = False) -> tuple:
    """Grow a PERSON span [start, end) over the parts of the same name next to it: particles
    and initials with the capitalized word after them, a known surname after it, a known
    first name before it, the other half of a hyphenated name ("Honoré [Breton]",
    "[Jennifer] van der Velden", "Kotoya [S. Negishi]", "[Anna]-Luise"). `loose` (outside
    technical text): a lone first name also takes the capitalized word after it."""
    m = _HYPHEN_RIGHT.match(text, end)
    if m:
        end = m.end()
    m = _HYPHEN_LEFT.search(text, max(0, start - 30), start)
    if m:
        start = m.start()
    lone_first = loose and " " not in text[start:end] and gazetteer.is_first(text[start:end])
    for _ in range(3):
        if len(text[start:end].split()[-1]) == 1 and text[end:end + 1] == ".":
            end += 1  # "Veronica R" + "." before "van der Voet"
        m = _GROW_RIGHT.match(text, end)
        if not m:
            break
        word = m.group("word")
        bridged = m.start("word") > m.start() + 1  # a particle or an initial in between
        after = _NEXT_WORD.match(text, m.end())
        if word.casefold() in NOT_PERSON_WORDS or after and after.group(1).casefold() in NOT_PERSON_WORDS:
            break  # "von Plum Acquisition Corp.": a company follows
        if not (bridged or gazetteer.is_last(word) or has_name_shape(word) or is_initial(text[start:end].split()[-1])
                or text[start:end].endswith(".") and is_initial(text[start:end].rsplit("-", 1)[-1])
                or lone_first and word.casefold() not in NOT_NAMES and word.casefold() not in ROLE_WORDS
                and word.casefold() not in _english_stop_words()):
            break
        end = m.end()
        lone_first = False
    m = _GROW_LEFT.search(text, max(0, start - 60), start)
    word = m and m.group("word").casefold()
    # A known first name, or any capitalized word before an initial ("Kotoya [S. Negishi]",
    # "Kotoya S. [Negishi]").
    bridged = m and (is_initial(text[start:end].split()[0]) or m.group("initial"))
    if m and word not in ROLE_WORDS and word not in RELATION_WORDS and word not in NOT_NAMES \
            and word not in NOT_PERSON_WORDS and word not in _ADDRESSING_WORDS \
            and (gazetteer.is_first(word) or bridged and len(word) > 1):
        start = m.start()
    return start, end
