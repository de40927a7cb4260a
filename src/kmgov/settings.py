"""Django settings. The database is chosen by DATABASE_URL, the same for server, CLI and tests."""

import datetime as dt
import os
import sys
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("KMGOV_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("KMGOV_VAR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The seed gazette lives beside the repository, in ../shared; it is read, never copied.
SHARED_DIR = Path(os.environ.get("KMGOV_SHARED", PROJECT_DIR.parent / "shared"))

DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("KMGOV_SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("KMGOV_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("KMGOV_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# KMGOV_ENV=production (docs/deployment.md): the process refuses to start, whatever the entry
# point (gunicorn, `kmgov serve`, any `kmgov` command), with the default or a short secret key or
# with DEBUG on; and the settings `check --deploy` asks for are on (HTTPS behind the reverse
# proxy, secure cookies, HSTS). Any other value (default "development") changes nothing.
KMGOV_ENV = os.environ.get("KMGOV_ENV", "development")
PRODUCTION = KMGOV_ENV == "production"
if PRODUCTION:
    from django.core.exceptions import ImproperlyConfigured

    _problems = []
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        _problems.append("KMGOV_SECRET_KEY must be set to a random value of 50 characters or more "
                         "(python -c 'import secrets; print(secrets.token_urlsafe(50))')")
    if DEBUG:
        _problems.append("KMGOV_DEBUG must not be 1")
    if _problems:
        raise ImproperlyConfigured("KMGOV_ENV=production refuses to start: " + "; ".join(_problems))
    # The reverse proxy ends TLS and says so in X-Forwarded-Proto (deploy/nginx.conf).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("KMGOV_SSL_REDIRECT", "1") == "1"
    # /healthz, /readyz and /metrics are asked for over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("KMGOV_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("KMGOV_HSTS_PRELOAD", "1") == "1"  # the header only; submitting is a choice
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KMGOV_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # login throttling (AUTHENTICATION_BACKENDS, AXES_* below)
    "ninja",  # serves Swagger UI from its own static files, not from a CDN
    "django_tasks",
    "django_tasks_db",
    "kmgov.core",
    "kmgov.gazette",
    "kmgov.procedures",
    "kmgov.web",
    "kmgov.rules",
    "kmgov.policies.agriculture",
    "kmgov.policies.carbon",
    "kmgov.policies.forestry",
    "kmgov.policies.buildings",
    "kmgov.policies.buildings.devindex",
    "kmgov.policies.headquarters",
    "kmgov.policies.safety",
    "kmgov.policies.mediation",
    "kmgov.policies.geohazards",
    "kmgov.policies.construction",
    "kmgov.policies.hotline",
    "kmgov.hotline",
    # The site: discovers what every app above declares on its AppConfig (API, URLs, navigation,
    # setup steps, demo data) and holds the site-wide commands and error pages.
    "kmgov.site",
]
# Apps for one run only: KMGOV_EXTRA_APPS="a,b". Under pytest (which sets PYTEST_VERSION
# before pytest-django loads these settings) the test-only apps in tests/ are added, e.g. the
# sample procedure the procedures kernel is tested on (tests/procedures/sample).
_extra_apps = os.environ.get("KMGOV_EXTRA_APPS")
if _extra_apps is None and os.environ.get("PYTEST_VERSION"):
    _TESTS_DIR = PROJECT_DIR / "tests"
    if (_TESTS_DIR / "procedures" / "sample" / "__init__.py").exists():
        sys.path.insert(0, str(_TESTS_DIR))
        _extra_apps = "procedures.sample"
INSTALLED_APPS += [a.strip() for a in (_extra_apps or "").split(",") if a.strip()]

MIDDLEWARE = [
    "kmgov.core.logs.RequestIdMiddleware",  # first: every log line of the request carries its id
    "kmgov.site.ops.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kmgov.site.csp.ContentSecurityPolicyMiddleware",
    "kmgov.core.middleware.DropNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kmgov.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kmgov.core.middleware.IdleTimeoutMiddleware",
    "kmgov.core.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kmgov.site.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "kmgov.urls"
WSGI_APPLICATION = "kmgov.wsgi.application"

# Every Django form in the design system's field markup (kmgov.web.forms).
FORM_RENDERER = "kmgov.web.forms.KmgovFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kmgov.sqlite3'}"),
        conn_max_age=int(os.environ.get("KMGOV_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and the one writer work side by side; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# A read replica for reports (issue 15 item 8; docs/deployment.md → "Read replica"): the views
# marked `kmgov.core.replica.reads_from_replica` read from it; writes and everything else stay
# on default. In tests the alias is the default test database (a mirror).
if os.environ.get("KMGOV_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["KMGOV_REPLICA_DATABASE_URL"],
        conn_max_age=int(os.environ.get("KMGOV_CONN_MAX_AGE", "0")),
    )
    if DATABASES["replica"]["ENGINE"].endswith("sqlite3"):
        DATABASES["replica"]["OPTIONS"] = {"timeout": 20}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kmgov.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `kmgov serve` (gunicorn, gthread workers): address, processes and threads per process.
# Each process keeps its own answer index and jieba dictionary (≈ 150 MB together); threads
# share them. --bind/--workers/--threads on the command line win over these.
KMGOV_SERVE_BIND = os.environ.get("KMGOV_SERVE_BIND", "127.0.0.1:8000")
KMGOV_SERVE_WORKERS = int(os.environ.get("KMGOV_SERVE_WORKERS", str(max(2, os.cpu_count() or 1))))
KMGOV_SERVE_THREADS = int(os.environ.get("KMGOV_SERVE_THREADS", "4"))

# Django's full set (issue 15): not like the user's own name or e-mail, at least 10
# characters, not a common password, not all digits. Checked by the admin's forms, by
# `kmgov setup` (the administrator) and `kmgov demo` (the demo accounts' password).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after KMGOV_LOGIN_FAILURE_LIMIT wrong passwords for one
# account, or from one address, further attempts are refused without checking the password
# until the cool-off ends (a success resets the count). The address is the one our own rate
# limits count (core.ratelimit.client_ip, which honours KMGOV_TRUSTED_PROXIES only).
AUTHENTICATION_BACKENDS = [
    "kmgov.core.auth.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("KMGOV_LOGIN_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("KMGOV_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kmgov.core.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "site/locked_out.html"
AXES_VERBOSE = False
# Addresses (or networks) of the reverse proxies in front of the application; only their
# X-Forwarded-For is believed. Empty: the connection's own address counts.
KMGOV_TRUSTED_PROXIES = [p for p in os.environ.get("KMGOV_TRUSTED_PROXIES", "").split(",") if p.strip()]

# A signed-in session ends after this many idle minutes (core.middleware.IdleTimeoutMiddleware).
KMGOV_SESSION_IDLE_MINUTES = int(os.environ.get("KMGOV_SESSION_IDLE_MINUTES", "30"))
# API tokens expire after this many days unless issued otherwise (`kmgov token create --days`).
KMGOV_API_TOKEN_DAYS = int(os.environ.get("KMGOV_API_TOKEN_DAYS", "90"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded documents (procedure attachments). Not served by URL: read through views that
# check the reader's scope.
MEDIA_ROOT = Path(os.environ.get("KMGOV_MEDIA", VAR_DIR / "media"))
MEDIA_URL = "/media/"
KMGOV_ATTACHMENT_MAX_BYTES = int(os.environ.get("KMGOV_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))

# The task queue (django-tasks): the database backend by default (no broker; run
# `kmgov db_worker`), Redis/RQ when KMGOV_TASKS_BACKEND=rq (pip install 'kmgov[redis]', run
# `kmgov rqworker default`), or "immediate" to run tasks in the caller.
_TASKS = os.environ.get("KMGOV_TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}[_TASKS]}}
if _TASKS == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ.get("KMGOV_REDIS_URL", "redis://127.0.0.1:6379/0")}}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

JIEBA_CACHE_DIR = VAR_DIR

# Structured logs (kmgov.core.logs): one JSON object a line on stderr, with the request id;
# every 5xx through django.request with its traceback. KMGOV_LOG_FORMAT=text for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kmgov.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "kmgov.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": os.environ.get("KMGOV_LOG_FORMAT", "json")}},
    "root": {"handlers": ["console"], "level": os.environ.get("KMGOV_LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"level": "WARNING"},
    },
}

# The cache (readiness check, shared counters): Redis when KMGOV_CACHE_URL is set (every app
# server of a deployment sees one cache), else each process's own memory.
if os.environ.get("KMGOV_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["KMGOV_CACHE_URL"],
                          "KEY_PREFIX": os.environ.get("KMGOV_CACHE_PREFIX", "kmgov")}}

# Where browsers send Content-Security-Policy violation reports (kmgov.site.csp); none by default.
KMGOV_CSP_REPORT_URI = os.environ.get("KMGOV_CSP_REPORT_URI", "")

# /metrics answers staff accounts and these addresses (networks) only (kmgov.site.ops).
KMGOV_METRICS_ALLOW = os.environ.get("KMGOV_METRICS_ALLOW", "127.0.0.1,::1").split(",")

# Sentry (or a Sentry-compatible collector) when SENTRY_DSN is set: pip install 'kmgov[sentry]'.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], environment=KMGOV_ENV,
                    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
                    send_default_pii=False)

# Bounded imports (kmgov.core.sheets): the largest xlsx file and the most data rows one import
# reads; larger sheets are refused with the cap named.
KMGOV_IMPORT_MAX_BYTES = int(os.environ.get("KMGOV_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
KMGOV_IMPORT_MAX_ROWS = int(os.environ.get("KMGOV_IMPORT_MAX_ROWS", "10000"))
