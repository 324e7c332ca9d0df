"""Static files in production: WhiteNoise's hashed, precompressed copies (collectstatic).

Django rewrites `sourceMappingURL` comments to the map's hashed name and stops collectstatic when
the map is missing; some npm packages we copy (leaflet.featuregroup.subgroup) name a map they do
not ship. Source-map comments are left as they are: browsers only ask for maps with their
developer tools open, and a missing one is a 404 there, nothing else.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (glob, tuple(p for p in group if "sourceMappingURL" not in str(p)))
        for glob, group in patterns
    )


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
