"""Chinese, Japanese and Korean addresses are redacted as one block (province to room, with
the postcode), and Chinese mobile numbers with or without a cue; the texts were written for
these tests."""
import pytest

from tests.transforms.test_pii import conv


@pytest.fixture
def scrub(pii_scrubber):
    def run(text, lang):
        out = pii_scrubber.scrub_conversations([conv(text, lang=lang)]).conversations[0]
        return out["messages"][0]["content"]
    return run


@pytest.mark.parametrize("text, lang, expected", [
    ("寄到浙江省杭州市西湖区文三路478号3栋2单元501室，邮编310013，谢谢。", "zh",
     "寄到[STREET_ADDRESS_1]，邮编[STREET_ADDRESS_2]，谢谢。"),
    ("我住在朝阳区建国路88号。", "zh", "我住在[STREET_ADDRESS_1]。"),
    ("送り先：〒150-0041 東京都渋谷区神南1丁目2番3号", "ja", "送り先：[STREET_ADDRESS_1]"),
    ("住所は大阪府大阪市北区梅田3-1-1 グランフロント1203号室です。", "ja", "住所は[STREET_ADDRESS_1]です。"),
    ("〒530-0001までお願いします", "ja", "[STREET_ADDRESS_1]までお願いします"),
    ("서울특별시 강남구 테헤란로 152, 강남파이낸스센터 21층", "ko", "[STREET_ADDRESS_1]"),
    ("주소: 부산광역시 해운대구 센텀중앙로 79 (우동), 우편번호 48058", "ko",
     "주소: [STREET_ADDRESS_1], 우편번호 [STREET_ADDRESS_2]"),
    ("제 주소는 대구광역시 수성구 범어동 123-4번지입니다.", "ko", "제 주소는 [STREET_ADDRESS_1]입니다."),
])
def test_an_east_asian_address_is_redacted_from_the_province_to_the_room(scrub, text, lang, expected):
    assert scrub(text, lang) == expected


@pytest.mark.parametrize("text, lang", [
    ("中山路很长，晚上很热闹。", "zh"),
    ("バージョン1-2-3を使ってください", "ja"),
    ("세로 3칸으로 나눠 주세요.", "ko"),
    ("```python\nroad = '文三路478号'\n```", "zh"),
])
def test_a_street_name_alone_or_a_number_in_code_is_not_an_address(scrub, text, lang):
    assert scrub(text, lang) == text


@pytest.mark.parametrize("text, expected", [
    ("有问题可以打13812345678找我。", "有问题可以打[PHONE_NUMBER_1]找我。"),
    ("我的联系方式：13912345678", "我的联系方式：[PHONE_NUMBER_1]"),
    ("加我微信 13712345678", "加我微信 [PHONE_NUMBER_1]"),
    ("公司电话（0755）8612 3456", "公司电话[PHONE_NUMBER_1]"),
])
def test_a_chinese_mobile_number_is_a_phone_number_with_or_without_a_cue(scrub, text, expected):
    assert scrub(text, "zh") == expected


def test_an_eleven_digit_id_in_code_stays(scrub):
    text = "```\nuser_id = 13812345678  # 用户\n```"
    assert scrub(text, "zh") == text
