"""The spreadsheet layout fits the content models: field lengths, choices, required columns."""

import pytest

from content.inventory import LAYOUTS, RecordKind
from content.models import Artifact, Inscription, RelicPage

OPTIONAL_IN_ADMIN = (RecordKind.INSCRIPTION, "so_kiem_ke")
MODELS = {
    RecordKind.RELIC: RelicPage,
    RecordKind.ARTIFACT: Artifact,
    RecordKind.INSCRIPTION: Inscription,
}


@pytest.mark.parametrize("kind", list(RecordKind))
def test_columns_fit_their_model_fields(kind: RecordKind) -> None:
    model = MODELS[kind]
    for column in LAYOUTS[kind].columns:
        if column.field is None:
            continue
        field = model._meta.get_field(column.field)
        assert column.max_length == getattr(field, "max_length", None) or column.type != "text", (
            column.key,
            field.max_length,
        )
        if column.type == "choice":
            assert [k for k, _ in column.choices] == [k for k, _ in field.choices]
        # Inscriptions entered in the admin may lack a number; the import needs one to match rows.
        if column.required and column.type == "text" and (kind, column.key) != OPTIONAL_IN_ADMIN:
            assert not field.blank, column.key
