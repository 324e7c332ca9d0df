from django import template

register = template.Library()

# The gaps a ward's row shows (the full list per relic has all of them).
WARD_COLUMNS = [
    ("photo", "Thiếu ảnh"),
    ("coordinates", "Thiếu tọa độ"),
    ("rubbing", "Di văn thiếu bản dập"),
    ("artifact_photo", "Hiện vật thiếu ảnh"),
    ("panorama", "Chưa có 360°"),
    ("plaque", "Chưa in biển"),
    ("unscanned", "Biển chưa ai quét"),
]


@register.simple_tag
def ward_columns():
    return WARD_COLUMNS


@register.filter
def gap_count(counts: dict, key: str) -> int:
    return counts.get(key, 0)
