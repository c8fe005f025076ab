import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

application = get_wsgi_application()


def warm_up():
    """Load now what each worker's first requests would otherwise load: the URLconf with
    every view (and the modules behind them), the templates, the cache's client library,
    the release digest.

    `make serve` runs gunicorn with --preload: this runs once, in the master process, and
    every worker (a replacement too) is forked with it all in memory instead of spending
    its first second importing and compiling while requests wait. Nothing here opens a
    connection to the database or the cache: a connection made before the fork would be
    shared by every worker.
    """
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    from giftapp.cache import release

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and the views)
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            get_template(str(path.relative_to(folder)))
    if settings.REDIS_URL:
        import redis  # noqa: F401
    release()


warm_up()
