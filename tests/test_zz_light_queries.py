import traceback

from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

ROOT = "/work/wt-light/"


@override_settings(PAGE_CACHE_SECONDS=0)
def test_print(client, db):
    call_command("load_demo_district", verbosity=0)
    from content.models import RelicPage

    vi = (
        RelicPage.objects.live()
        .filter(locale__language_code="vi", slug="dinh-dong-khe")
        .first()
        .url
    )
    en = RelicPage.objects.live().filter(locale__language_code="en").order_by("path").first().url
    out = []
    log = []

    def wrapper(execute, sql, params, many, context):
        frames = [
            f
            for f in traceback.extract_stack()
            if "/site-packages/" not in f.filename
            and ROOT in f.filename
            and "test_zz" not in f.filename
        ]
        lib = [
            f
            for f in traceback.extract_stack()
            if "/site-packages/" in f.filename
            and "django/db" not in f.filename
            and "django/test" not in f.filename
        ]
        where = sql[sql.find(" FROM ") :][:160]
        p = " < ".join("%s:%s" % (f.filename[len(ROOT) :], f.lineno) for f in frames[-3:])
        q = " < ".join(
            "%s:%s:%s" % (f.filename.split("site-packages/")[1], f.lineno, f.name) for f in lib[-3:]
        )
        log.append("  " + where + "\n     proj: " + p + "\n     lib: " + q)
        return execute(sql, params, many, context)

    for path in [vi, en, "/", "/map/"]:
        client.get(path)
        log.clear()
        with connection.execute_wrapper(wrapper):
            r = client.get(path)
        out.append(f"==== {path} {r.status_code} {len(log)}")
        out.extend(log)
    open("/tmp/lightq/out.txt", "w").write("\n".join(out))
