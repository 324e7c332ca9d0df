"""Settings shared by every environment; no secrets here (see .env.example)."""

import os
import unicodedata
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from heritage_site.admin_theme import check_color
from heritage_site.security_headers import check_origins, tile_origins
from heritage_site.storage import media_origins, media_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "heritage_site",
    "content",
    "media_pipeline",
    "maps",
    "feedback",
    "progress",
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heritage_site.compression.CompressionMiddleware",
    "media_pipeline.qr.middleware.QrResolverMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "heritage_site.page_cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "heritage_site.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "heritage_site.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into heritage_site's lockout page.
    "axes.middleware.AxesMiddleware",
]

# Staff login throttling (django-axes, heritage_site/login_security.py): after 5 wrong passwords
# for one username from one client, that pair waits 15 minutes. The client is kept as a keyed
# pseudonym, never its IP address; records go when the cool-off ends; logins are not logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "heritage_site.login_security.client_pseudonym"
AXES_LOCKOUT_CALLABLE = "heritage_site.login_security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Behind a proxy, the header carrying the visitor's address (e.g. HTTP_X_REAL_IP, which nginx
# sets with `proxy_set_header X-Real-IP $remote_addr;`); empty = REMOTE_ADDR.
LOGIN_CLIENT_IP_HEADER = os.environ.get("LOGIN_CLIENT_IP_HEADER", "")

# Two-factor login for staff (heritage_site/two_factor.py, django-otp TOTP): optional for each
# member; with STAFF_2FA_REQUIRED on, required for superusers and these groups (the reviewers'
# group is created by content/permissions.py under this name).
STAFF_2FA_REQUIRED = os.environ.get("STAFF_2FA_REQUIRED", "false").lower() == "true"
STAFF_2FA_REQUIRED_GROUPS = env_list("STAFF_2FA_REQUIRED_GROUPS", "Người duyệt nội dung")
OTP_TOTP_ISSUER = "Di sản số"

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
# Connections are kept a minute and checked before each request reuses one, so a restarted
# PostgreSQL costs errors only while it is down.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
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

# Media on this machine's disk (MEDIA_ROOT) by default; MEDIA_STORAGE=s3 and the AWS_* variables
# put them in an S3-compatible bucket instead, so that workers on other machines need no access
# to this disk (heritage_site/storage.py, docs/storage.md).
STORAGES = media_storages(os.environ)
# Where visitors' and staff's browsers fetch those media from (CSP img-src and media-src).
MEDIA_HOSTS = media_origins(os.environ)
# Documents stream through Django's permission-checked view (always as attachments), also when
# they live in a bucket (Wagtail would otherwise redirect to the bucket).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Background work: Django's task API, a database queue and `manage.py db_worker` by default.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A job whose heartbeat is older than this (seconds) lost its worker: it is queued again, at
# most JOB_MAX_ATTEMPTS runs in all, then marked failed (heritage_site/recovery.py).
JOB_LEASE_SECONDS = float(os.environ.get("JOB_LEASE_SECONDS", "300"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# /readyz fails when the oldest task ready to run has waited longer than this (seconds): the
# workers are gone or cannot keep up.
READYZ_QUEUE_LAG_SECONDS = float(os.environ.get("READYZ_QUEUE_LAG_SECONDS", "300"))

WAGTAIL_SITE_NAME = "Di sản số"
# The admin shows the district's name and logo (Cài đặt → Thông tin huyện) in these colours;
# white text sits on both, so keep them dark (tests/browser/test_admin_axe.py checks contrast).
ADMIN_PRIMARY_COLOR = check_color(
    os.environ.get("ADMIN_PRIMARY_COLOR", "#6b1c1c"), "ADMIN_PRIMARY_COLOR"
)
ADMIN_SECONDARY_COLOR = check_color(
    os.environ.get("ADMIN_SECONDARY_COLOR", "#986600"), "ADMIN_SECONDARY_COLOR"
)
# Avatars are the ones staff upload, or Wagtail's own placeholder: no request to Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Staff get our Vietnamese editor's guide (docs/huong-dan-bien-tap.md), not Wagtail's news.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# The site's public scheme and host (https://disan.example.gov.vn). Links in staff e-mails,
# the host printed on QR plaques and the IIIF tiles' own URL follow it unless set apart below.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL", "").strip()
    or PUBLIC_BASE_URL
    or "http://127.0.0.1:8000"
)
# QR plaques encode PLAQUE_BASE_URL + "/Q/<CODE>" in upper case: scheme and host only, no path.
# Plaques are refused while it is unset, local, private or plain http (media_pipeline.qr.codes
# plaque_host_problem), unless PLAQUE_ALLOW_UNSAFE_HOST is true (a demo; the admin warns).
PLAQUE_BASE_URL = os.environ.get("PLAQUE_BASE_URL", "").strip() or PUBLIC_BASE_URL
PLAQUE_ALLOW_UNSAFE_HOST = os.environ.get("PLAQUE_ALLOW_UNSAFE_HOST", "").lower() == "true"
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

# Inventory spreadsheets (docs/inventory.md): checked while they stream, before any reader holds
# them; files whose data inflate past INVENTORY_INLINE_PREVIEW_BYTES are previewed by the worker.
INVENTORY_MAX_ROWS = int(os.environ.get("INVENTORY_MAX_ROWS", "250000"))
INVENTORY_MAX_COLUMNS = int(os.environ.get("INVENTORY_MAX_COLUMNS", "60"))
INVENTORY_MAX_CELL_CHARS = int(os.environ.get("INVENTORY_MAX_CELL_CHARS", "20000"))
INVENTORY_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("INVENTORY_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
)
INVENTORY_INLINE_PREVIEW_BYTES = int(
    os.environ.get("INVENTORY_INLINE_PREVIEW_BYTES", str(1024 * 1024))
)

# Narration uploads (thuyết minh): checked by content with mutagen.
NARRATION_MAX_BYTES = 30 * 1024 * 1024
NARRATION_MAX_SECONDS = 20 * 60

# 360° panoramas have their own upload path and limits, above Wagtail's image limits: Django
# streams uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file, and the form
# inspects that file's header before anything is saved. The web server in front must accept
# request bodies this large too (nginx: client_max_body_size).
PANORAMA_MAX_BYTES = int(os.environ.get("PANORAMA_MAX_BYTES", str(512 * 1024 * 1024)))
# 32768×16384 at most (media_pipeline.panoramas.limits): tiling one takes about 1.25 GB.
PANORAMA_MAX_PIXELS = int(os.environ.get("PANORAMA_MAX_PIXELS", str(32768 * 16384)))
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

# Deep zoom (IIIF Image API 3.0 level 0 tiles) for rubbings and large artifact photos. The tiles'
# info.json names its own public URL, so IIIF_BASE_URL is the visitors' scheme and host.
IIIF_BASE_URL = os.environ.get("IIIF_BASE_URL") or PLAQUE_BASE_URL or WAGTAILADMIN_BASE_URL
IIIF_TILE_SIZE = 512
IIIF_MAX_PIXELS = int(os.environ.get("IIIF_MAX_PIXELS", str(WAGTAILIMAGES_MAX_IMAGE_PIXELS)))
# Artifact photos get tiles from this longer side up (rubbings always do).
IIIF_ARTIFACT_MIN_SIDE = int(os.environ.get("IIIF_ARTIFACT_MIN_SIDE", "2000"))
# The manifests' "rights": a Creative Commons or RightsStatements.org URI.
IIIF_RIGHTS = os.environ.get("IIIF_RIGHTS", "http://rightsstatements.org/vocab/InC-EDU/1.0/")
# schema.org "isAccessibleForFree" on relic pages: relics managed by the culture office charge no
# entry fee; set RELIC_FREE_ENTRY=false where they do.
RELIC_FREE_ENTRY = os.environ.get("RELIC_FREE_ENTRY", "true").lower() not in ("0", "false", "no")

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
# The IOC statistics are built at most once per this many seconds per language and period
# (maps/feeds.py): a publish shows at once; scans, ratings, reports and drafts within this time.
IOC_STATS_SECONDS = int(os.environ.get("IOC_STATS_SECONDS", "60"))
# After a publish, a background task builds the map's feeds again (maps/tasks.py) so that the
# map and the IOC rarely wait for them.
MAP_WARM_FEEDS = os.environ.get("MAP_WARM_FEEDS", "1") == "1"
# Where the map opens before it fits the data: "lat,lon" and a zoom level.
MAP_DEFAULT_CENTER = tuple(
    float(v) for v in os.environ.get("MAP_DEFAULT_CENTER", "20.85,106.68").split(",")
)
MAP_DEFAULT_ZOOM = int(os.environ.get("MAP_DEFAULT_ZOOM", "13"))
# Extra image hosts in the visitor pages' CSP (heritage_site/security_headers.py): the tile server.
CSP_IMG_HOSTS = list(tile_origins(MAP_TILES_URL))

# Visitor feedback (feedback/): contacts kept this many days with consent, then wiped; posts
# per client (keyed hash of address and user agent, cache only) per window of seconds; photos.
FEEDBACK_CONTACT_RETENTION_DAYS = int(os.environ.get("FEEDBACK_CONTACT_RETENTION_DAYS", "365"))
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "10"))
FEEDBACK_RATE_WINDOW = int(os.environ.get("FEEDBACK_RATE_WINDOW", "600"))
FEEDBACK_PHOTO_MAX_BYTES = int(os.environ.get("FEEDBACK_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
FEEDBACK_PHOTO_MAX_PIXELS = int(os.environ.get("FEEDBACK_PHOTO_MAX_PIXELS", "40000000"))
FEEDBACK_CLIENT_IP_HEADER = os.environ.get("FEEDBACK_CLIENT_IP_HEADER", "")
# The admin loads nothing from other hosts (its CSP says so; Gravatar is off above), nor does
# the dashboard ask Wagtail's site for new versions: upgrades follow requirements.txt.
WAGTAIL_ENABLE_UPDATE_CHECK = False

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

# Page cache for visitor pages and feeds (heritage_site/page_cache.py): 0 seconds turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_ALIAS = "default"
# Rendered parts of relic pages (heritage_site/fragments.py), in the same backend, for visitors
# the page cache does not answer (another URL of the same page, the page cache off or emptied).
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "300"))
# A cache in front (nginx, Varnish, a CDN) that accepts HTTP PURGE: a published page and the
# pages listing everything are purged there too (through the task worker).
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }
# How often each process reads the generation number that a change bumps.
PAGE_CACHE_GENERATION_CHECK_SECONDS = float(
    os.environ.get("PAGE_CACHE_GENERATION_CHECK_SECONDS", "1")
)
