"""Settings shared by every environment; no secrets here (see .env.example)."""

import os
import unicodedata
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from heritage_site.security_headers import check_origins, tile_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "heritage_site",
    "content",
    "media_pipeline",
    "maps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "media_pipeline.qr.middleware.QrResolverMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "heritage_site.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "heritage_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "heritage_site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "heritage_site.wsgi.application"

# One path for SQLite (embedded default) and PostgreSQL (production, the suite's PostgreSQL run).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, everywhere: the admin, the visitor pages and the content tree.
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True


def site_languages(codes: list[str]) -> list[tuple[str, str]]:
    """Visitor languages as (code, name in that language), Vietnamese first; unknown refused."""
    unknown = [c for c in codes if c not in LANG_INFO or "name_local" not in LANG_INFO[c]]
    if unknown:
        raise ImproperlyConfigured(f"SITE_LANGUAGES: unknown language code(s) {', '.join(unknown)}")
    ordered = [LANGUAGE_CODE, *(c for c in dict.fromkeys(codes) if c != LANGUAGE_CODE)]
    names = [unicodedata.normalize("NFC", LANG_INFO[c]["name_local"]) for c in ordered]
    return [(c, n[:1].upper() + n[1:]) for c, n in zip(ordered, names, strict=True)]


# Visitor languages (SITE_LANGUAGES in .env.example); the admin stays Vietnamese or English.
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = site_languages(
    env_list("SITE_LANGUAGES", "vi,en,zh-hans,ko,ja,fr")
)
WAGTAILADMIN_PERMITTED_LANGUAGES = [(c, n) for c, n in LANGUAGES if c in ("vi", "en")]
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "heritage_site" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves uploads itself only in development and tests.
SERVE_MEDIA = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work: Django's task API, a database queue and `manage.py db_worker` by default.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = "Di sản số"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# QR plaques encode PLAQUE_BASE_URL + "/Q/<CODE>" in upper case: scheme and host only, no path.
PLAQUE_BASE_URL = os.environ.get("PLAQUE_BASE_URL", WAGTAILADMIN_BASE_URL)
# Visitor languages that scan counts keep apart (primary subtags); any other counts as "other".
QR_SCAN_LANGUAGES = env_list("QR_SCAN_LANGUAGES", "vi,en,zh,ko,ja,fr")
# Slugs are made ASCII by content.text.vietnamese_slugify, whatever the admin sends.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 25 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "bmp": "png", "webp": "webp"}
WAGTAILDOCS_EXTENSIONS = ["pdf", "zip", "csv", "xlsx", "txt"]
# Uploads are checked by content and stored under generated names (content/upload_forms.py);
# documents are always downloaded, never shown inline from our origin.
WAGTAILIMAGES_IMAGE_FORM_BASE = "content.upload_forms.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "content.upload_forms.CheckedDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Narration uploads (thuyết minh): checked by content with mutagen.
NARRATION_MAX_BYTES = 30 * 1024 * 1024
NARRATION_MAX_SECONDS = 20 * 60

# 360° panoramas have their own upload path and limits, above Wagtail's image limits: Django
# streams uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file, and the form
# inspects that file's header before anything is saved. The web server in front must accept
# request bodies this large too (nginx: client_max_body_size).
PANORAMA_MAX_BYTES = int(os.environ.get("PANORAMA_MAX_BYTES", str(512 * 1024 * 1024)))
PANORAMA_MAX_PIXELS = int(os.environ.get("PANORAMA_MAX_PIXELS", str(16384 * 8192)))
PANORAMA_TILE_SIZE = 512
# Tiles go through a view that checks the panorama's relic is public (content.public). In
# production set PANORAMA_TILES_INTERNAL_URL to an nginx `internal` location aliasing
# MEDIA_ROOT/panoramas/tiles/ (see README): Django checks, nginx sends the file.
PANORAMA_TILES_INTERNAL_URL = os.environ.get("PANORAMA_TILES_INTERNAL_URL", "")
PANORAMA_TILES_MAX_AGE = int(os.environ.get("PANORAMA_TILES_MAX_AGE", str(24 * 3600)))
# Portal hosts that may show the 360° gallery and tours (/360/embed/, /360/tour/<id>/embed/)
# in an iframe, e.g. "https://congthongtin.example.gov.vn".
PANORAMA_EMBED_ALLOWED_ORIGINS = check_origins(
    env_list("PANORAMA_EMBED_ALLOWED_ORIGINS"), "PANORAMA_EMBED_ALLOWED_ORIGINS"
)
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# How far (in metres) a tourism place may be from a relic to be listed as nearby.
NEARBY_PLACES_DISTANCE_M = int(os.environ.get("NEARBY_PLACES_DISTANCE_M", "1500"))

# The heritage map (maps/). Base-map tiles are the only thing a visitor's browser fetches from
# another host; an empty MAP_TILES_URL gives the no-basemap mode (no network at all).
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Portal hosts that may show /map/embed/ in an iframe, and IOC hosts that may fetch the feeds
# from a browser (CORS). Checked here so that a typo stops the start, not a visitor's browser.
MAP_EMBED_ALLOWED_ORIGINS = check_origins(
    env_list("MAP_EMBED_ALLOWED_ORIGINS"), "MAP_EMBED_ALLOWED_ORIGINS"
)
IOC_ALLOWED_ORIGINS = check_origins(env_list("IOC_ALLOWED_ORIGINS"), "IOC_ALLOWED_ORIGINS")
# Where the map opens before it fits the data: "lat,lon" and a zoom level.
MAP_DEFAULT_CENTER = tuple(
    float(v) for v in os.environ.get("MAP_DEFAULT_CENTER", "20.85,106.68").split(",")
)
MAP_DEFAULT_ZOOM = int(os.environ.get("MAP_DEFAULT_ZOOM", "13"))
# Extra image hosts in the visitor pages' CSP (heritage_site/security_headers.py): the tile server.
CSP_IMG_HOSTS = list(tile_origins(MAP_TILES_URL))

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
