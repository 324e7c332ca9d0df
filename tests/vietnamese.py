"""Messages for staff are written in Vietnamese: the check their tests share."""

import re

VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def assert_vietnamese(message: str) -> None:
    """Staff read these messages: they must be Vietnamese with its diacritics."""
    assert len(VIETNAMESE.findall(message)) >= 3, message
