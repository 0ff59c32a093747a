"""Oscar at the root; ``i18n/`` is required or every page fails on ``set_language``.

Media (sorl's product thumbnails) is served like static files when DEBUG is on,
so pages show their images instead of asking Django for a 404 page each time.
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(apps.get_app_config("oscar").urls[0])),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
