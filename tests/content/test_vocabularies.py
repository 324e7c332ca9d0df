"""Rankings and relic types, one vocabulary: the admin's choices, inventory and geodata imports,
the map."""

import pytest
from django.utils import translation

from content import vocabularies as v
from content.choices import Ranking, RelicType
from content.inventory import LAYOUTS, RecordKind
from content.inventory.validate import CellError, to_choice
from content.text import fold_key
from maps.geoattrs import extract_attributes, normalize_ranking, normalize_type


def test_model_choices_are_the_vocabulary_translated_for_visitors():
    assert Ranking.values == ["quoc_gia_dac_biet", "quoc_gia", "cap_tinh", "kiem_ke"]
    assert RelicType.NHA_THO_HO == "nha_tho_ho"
    with translation.override("vi"):
        assert str(Ranking.QUOC_GIA.label) == "Di tích quốc gia"
    with translation.override("en"):
        assert str(RelicType.DINH.label) == "Communal house"
    with translation.override("fr"):
        assert str(RelicType.KHAO_CO.label) == "Site archéologique"


@pytest.mark.parametrize(
    ("column", "cell", "key"),
    [
        ("loai_hinh", "Đình làng", "dinh"),
        ("loai_hinh", "MIẾU", "mieu"),
        ("loai_hinh", "nha tho ho", "nha_tho_ho"),
        ("loai_hinh", "communal house", "dinh"),
        ("xep_hang", "Di tích cấp tỉnh / thành phố", "cap_tinh"),
        ("xep_hang", "QGĐB", "quoc_gia_dac_biet"),
        ("xep_hang", "cấp tp", "cap_tinh"),
    ],
)
def test_inventory_cells_name_a_term_by_label_key_or_alias(column, cell, key):
    assert to_choice(LAYOUTS[RecordKind.RELIC].column(column), cell) == key


def test_inventory_refuses_other_text_and_lists_the_labels():
    with pytest.raises(CellError, match="chọn một trong: Di tích quốc gia đặc biệt; Di tích"):
        to_choice(LAYOUTS[RecordKind.RELIC].column("xep_hang"), "Hạng A")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Di tích quốc gia đặc biệt", "quoc_gia_dac_biet"),
        ("QG", "quoc_gia"),
        ("Cấp TP", "cap_tinh"),
        ("kiem_ke", "kiem_ke"),
        ("Hạng A", None),
        ("", None),
    ],
)
def test_geodata_ranking_is_found_in_free_text(text, key):
    assert normalize_ranking(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đình làng", "dinh"),
        ("Nhà thờ họ Nguyễn", "nha_tho_ho"),
        ("Di tích cách mạng ở đình Đông Khê", "cach_mang"),
        ("Danh thắng cảnh", "danh_lam"),
        ("Tháp", "khac"),
        ("", None),
    ],
)
def test_geodata_relic_type_is_found_in_free_text(text, key):
    assert normalize_type(text) == key


def test_geodata_names_the_rankings_it_knows_by_their_short_labels():
    attributes, warnings = extract_attributes({"ten": "Đình Đông Khê", "xep_hang": "Hạng A"})
    assert attributes["ranking"] is None and attributes["ranking_raw"] == "Hạng A"
    assert warnings == [
        "không nhận ra xếp hạng «Hạng A» "
        "(dùng: Quốc gia đặc biệt, Quốc gia, Cấp tỉnh/thành phố, Đã kiểm kê)"
    ]


def test_map_labels_cover_every_term_shorter_where_space_is_tight():
    assert list(v.RANKING_SHORT_LABELS) == Ranking.values
    assert list(v.RELIC_TYPE_SHORT_LABELS) == RelicType.values
    assert v.RELIC_TYPE_SHORT_LABELS["khao_co"] == "Khảo cổ"
    assert v.RELIC_TYPE_SHORT_LABELS["dinh"] == "Đình"


@pytest.mark.parametrize(
    ("choices", "synonyms"),
    [
        (v.RANKINGS, v.RANKING_ALIASES),
        (v.RANKINGS, v.RANKING_WORDS),
        (v.RELIC_TYPES, v.RELIC_TYPE_ALIASES),
        (v.RELIC_TYPES, v.RELIC_TYPE_WORDS),
        (v.INSCRIPTION_KINDS, v.INSCRIPTION_KIND_ALIASES),
        (v.ARTIFACT_CONDITIONS, v.ARTIFACT_CONDITION_ALIASES),
    ],
)
def test_every_synonym_names_a_term_of_its_vocabulary(choices, synonyms):
    assert {key for _text, key in synonyms} <= {key for key, _label in choices}


@pytest.mark.parametrize("words", [v.RANKING_WORDS, v.RELIC_TYPE_WORDS])
def test_geodata_words_are_written_folded(words):
    assert [word for word, _key in words] == [fold_key(word) for word, _key in words]
