from tests.s3_server import moto_server, s3_media  # noqa: F401  (fixtures)
