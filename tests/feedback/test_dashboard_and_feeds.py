"""The admin home's dashboard and the IOC feed's satisfaction figures."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from feedback.dashboard import bar_chart_svg, rating_trends
from feedback.models import Rating, Report
from media_pipeline.models import DailyScanCount, Panorama
from media_pipeline.qr.short_codes import code_for_page
from tests.factories import make_relic


def rate(relic, score, days_ago=0, **fields):
    n = Rating.objects.count()
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return Rating.objects.create(
        relic=relic,
        language="vi",
        score=score,
        client_key=f"k-{n}-xxxxxxxx",
        created_at=when,
        **fields,
    )


def report(relic, status="new"):
    n = Report.objects.count()
    return Report.objects.create(
        relic=relic,
        ward=relic.get_parent().specific,
        language="vi",
        kind="closed_gate",
        client_key=f"r-{n}-xxxxxxxx",
        status=status,
    )


@pytest.fixture
def busy(district):
    east, west = district["wards"]
    a, b = make_relic(east, "Đình Đông Khê"), make_relic(west, "Chùa Lạch Tray")
    today = timezone.localdate()
    for days, n in [(0, 7), (1, 3), (5, 12)]:
        DailyScanCount.objects.create(
            code=code_for_page(a),
            date=today - datetime.timedelta(days),
            language="vi",
            device_class="phone",
            count=n,
        )
    rate(a, 5), rate(a, 4), rate(a, 2, days_ago=40), rate(b, 3)
    report(a), report(a, "in_progress"), report(b, "fixed")
    Panorama.objects.create(title="Sân đình", relic=a, status="failed")
    return {"a": a, "b": b, "wards": district["wards"]}


def test_dashboard_shows_every_panel_with_links(client, busy):
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "x")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert "Tình hình di tích — Huyện mẫu" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'data-scans-total="22"' in html
    assert f'/admin/qr/pages/{busy["a"].pk}/">Đình Đông Khê</a>: 22' in html
    assert f"/admin/feedback/comments/?status=all&amp;relic={busy['a'].pk}" in html
    assert f'/admin/feedback/reports/?ward={busy["wards"][0].pk}">Đông Khê</a>: 2' in html
    assert "Sân đình" in html and "/admin/panoramas/" in html
    assert 'data-trend="up"' in html  # 4.5 now against 2 a month before


def test_rating_trends_compare_two_periods(busy):
    rows = {r["title"]: r for r in rating_trends(timezone.localdate())}
    assert rows["Đình Đông Khê"]["average"] == 4.5 and rows["Đình Đông Khê"]["before"] == 2
    assert rows["Đình Đông Khê"]["trend"] == "up"
    assert rows["Chùa Lạch Tray"]["trend"] == "steady"


def test_chart_has_a_bar_per_day_and_escapes_its_label():
    today = datetime.date(2025, 3, 10)
    days = [(today - datetime.timedelta(n), n) for n in range(3)][::-1]
    svg = bar_chart_svg(days, 'Lượt "quét" <mỗi ngày>')
    assert svg.count("<rect") == 3 and "<title>10/03: 0</title>" in svg
    assert 'aria-label="Lượt &quot;quét&quot; &lt;mỗi ngày&gt;"' in svg


def test_public_summary_shows_only_when_switched_on(client, busy):
    from wagtail.models import Site

    from feedback.models import FeedbackSettings

    assert "Điểm hài lòng" not in client.get(busy["a"].url).content.decode()
    setting = FeedbackSettings.for_site(Site.objects.get(is_default_site=True))
    setting.show_public_summary = True
    setting.save()
    html = client.get(busy["a"].url).content.decode()
    assert "Điểm hài lòng" in html and "<strong>3,7/5</strong> · 3 lượt đánh giá" in html


def test_ioc_feed_has_ratings_and_open_reports_per_relic_and_ward(client, busy):
    busy["b"].unpublish()
    doc = client.get("/api/ioc/stats.json").json()
    relics = {r["name"]: r for r in doc["relics"]}
    assert relics["Đình Đông Khê"]["ratings"] == {"count": 3, "average": 3.67}
    assert relics["Đình Đông Khê"]["open_reports"] == 2
    assert "Chùa Lạch Tray" not in relics  # not published: not in the public feed at all
    wards = {w["name"]: w for w in doc["wards"]}
    assert wards["Đông Khê"]["ratings"] == {"count": 3, "average": 3.67}
    assert wards["Đông Khê"]["open_reports"] == 2
    assert wards["Lạch Tray"]["ratings"] == {"count": 0, "average": None}
    assert doc["totals"]["ratings"] == 3 and doc["totals"]["open_reports"] == 2
