"""Address blocks as natives of zh, ja, ko, ru and pt-BR write them, marked up part by part
(the other languages' layouts are in values.py)."""

from __future__ import annotations

import random

from faker import Faker

from bench.pii_eval3.markup import m


def zh_address(fake: Faker, rng: random.Random) -> str:
    # 省 市 区 街道 号 (楼 单元 室) ; a postcode sometimes after the block
    unit = ""
    if rng.random() < 0.6:
        unit = m("unit", f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室")
    text = (m("region", fake.province()) + m("city", fake.city_name() + "市") + m("city", fake.district() + "区")
            + m("street", fake.street_name()) + m("building_number", f"{rng.randint(1, 999)}号") + unit)
    if rng.random() < 0.4:
        text += "，邮编" + m("postcode", fake.postcode())
    return m("STREET_ADDRESS", text)


def ja_address(fake: Faker, rng: random.Random) -> str:
    # 〒郵便番号 都道府県 市区町村 町名 丁目番号 建物名 号室
    number = f"{fake.chome()}{fake.ban()}{fake.gou()}" if rng.random() < 0.5 else \
        f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    text = ("〒" + m("postcode", fake.zipcode()) + " " + m("region", fake.prefecture()) + m("city", fake.city())
            + m("street", fake.town()) + m("building_number", number))
    if rng.random() < 0.6:
        text += " " + m("unit", f"{fake.building_name()}{fake.town()}{rng.randint(1, 12)}0{rng.randint(1, 9)}号室")
    return m("STREET_ADDRESS", text)


def ko_address(fake: Faker, rng: random.Random) -> str:
    # 도/시 구 ...로 번호, 동 호 (우편번호)
    text = (m("region", fake.province()) + " " + m("city", fake.city()) + " "
            + m("street", fake.road_name() + rng.choice(["로", "길", "대로"])) + " "
            + m("building_number", f"{rng.randint(1, 300)}" + (f"-{rng.randint(1, 40)}" if rng.random() < 0.3 else "")))
    if rng.random() < 0.6:
        text += ", " + m("unit", f"{rng.randint(101, 115)}동 {rng.randint(1, 25)}0{rng.randint(1, 4)}호")
    if rng.random() < 0.5:
        text += " (" + m("postcode", fake.postcode()) + ")"
    return m("STREET_ADDRESS", text)


def ru_address(fake: Faker, rng: random.Random) -> str:
    # г. Город, ул. Улица, д. 5, кв. 12, индекс
    street = m("street", f"{fake.street_suffix()} {fake.street_title()}")
    parts = ["г. " + m("city", fake.city_name()), street, "д. " + m("building_number", str(rng.randint(1, 120)))]
    if rng.random() < 0.6:
        parts.append(m("unit", f"кв. {rng.randint(1, 300)}"))
    pc = m("postcode", fake.postcode())
    if rng.random() < 0.5:
        return m("STREET_ADDRESS", ", ".join([pc] + parts))
    return m("STREET_ADDRESS", ", ".join(parts + [pc]))


def pt_br_address(fake: Faker, rng: random.Random) -> str:
    # Rua X, 123, apto 45 - Bairro, Cidade - UF, CEP
    street = m("street", rng.choice(["Rua", "Av.", "Avenida", "R."]) + " " + fake.last_name()
               + (" " + fake.last_name() if rng.random() < 0.4 else ""))
    unit = ", " + m("unit", f"apto {rng.randint(1, 20)}{rng.randint(0, 4)}") if rng.random() < 0.5 else ""
    return m("STREET_ADDRESS", f"{street}, {m('building_number', str(rng.randint(1, 3000)))}{unit} - "
             f"{m('city', fake.bairro())}, {m('city', fake.city())} - {m('region', fake.estado_sigla())}, "
             f"CEP {m('postcode', fake.postcode())}")


NATIVE_ADDRESS = {"zh_CN": zh_address, "ja_JP": ja_address, "ko_KR": ko_address,
                  "ru_RU": ru_address, "pt_BR": pt_br_address}
