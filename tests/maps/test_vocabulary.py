"""The map's ranking and relic-type keys are the content model's."""

from content.choices import Ranking, RelicType
from maps.geoattrs import RANKINGS, RELIC_TYPES


def test_map_vocabulary_matches_the_content_model():
    assert list(RANKINGS) == list(Ranking.values)
    assert set(RELIC_TYPES) == set(RelicType.values)
