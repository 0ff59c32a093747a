"""Settings for the test shop; everything that varies per instance comes from the environment.

``OSCAR_STORE_DB``         sqlite file (a copy of the migrated, seeded template)
``OSCAR_STORE_SMTP_HOST``  where Oscar sends its mail (the run's SMTP sink)
``OSCAR_STORE_SMTP_PORT``
``OSCAR_STORE_MEDIA``      a writable folder for uploads and thumbnails
``OSCAR_STORE_CURRENCY``   the basket currency (default EUR; the stock records must be in it too)

The shop speaks the browser's language (LocaleMiddleware): a persona with
``language: pl`` gets Oscar's Polish pages and Polish emails.

The rest follows the django-oscar 4.2 checklist in ../shared/COMPONENTS.md:
sorl for product pages, the i18n urls, anonymous checkout, Oscar's default
strategy (zero tax) and shipping repository (one free method).
"""

import os
import tempfile
from pathlib import Path

from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *  # noqa: F403 - Oscar's settings are meant to be star-imported

HERE = Path(__file__).resolve().parent

SECRET_KEY = "test-store-only-not-secret"
DEBUG = os.environ.get("OSCAR_STORE_DEBUG", "1") == "1"  # DEBUG serves /static/ and shows tracebacks
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "oscar_shop.urls"
SITE_ID = 1
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-gb"
USE_I18N = True

INSTALLED_APPS = [*OSCAR_APPS, "sorl.thumbnail", "oscar_shop"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OSCAR_STORE_DB", str(HERE.parent / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("OSCAR_STORE_MEDIA", str(Path(tempfile.gettempdir()) / "oscar-store-media"))
THUMBNAIL_DEBUG = False

OSCAR_SHOP_NAME = "Oscar Test Shop"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_DEFAULT_CURRENCY = os.environ.get("OSCAR_STORE_CURRENCY", "EUR")  # match the stock records
OSCAR_FROM_EMAIL = "orders@oscar-shop.test"
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("OSCAR_STORE_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("OSCAR_STORE_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 10  # a dead sink fails the order POST in seconds instead of hanging the page

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
