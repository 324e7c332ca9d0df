"""A visitor rates a relic with no signal: the service worker keeps the post and sends it,
exactly once, when the phone is back online."""

import pytest

from feedback.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMMENT = "Gửi lúc mất sóng ở sân đình"
RELIC = "/di-tich/dong-khe/dinh-dong-khe/"


def queued_posts(page) -> int:
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("offline-posts", 1);
            open.onupgradeneeded = () => open.result.createObjectStore(
                "posts", {keyPath: "id", autoIncrement: true});
            open.onsuccess = () => {
                const req = open.result.transaction("posts").objectStore("posts").count();
                req.onsuccess = () => { open.result.close(); resolve(req.result); };
            };
        })"""
    )


def test_a_rating_made_offline_is_sent_once_back_online(phone, demo):
    phone.goto(f"{demo}{RELIC}#danh-gia", wait_until="load")
    phone.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=15000)
    form = phone.locator("form[data-feedback]").first
    status = form.locator(".feedback-status")

    phone.context.set_offline(True)
    form.locator("label[for=fb-score-4]").click()
    form.locator("#fb-comment").fill(COMMENT)
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_function(
        "s => document.querySelector(s).textContent.includes('sẽ tự gửi khi có mạng')",
        arg="form[data-feedback] .feedback-status",
    )
    assert queued_posts(phone) == 1
    assert not Rating.objects.filter(comment=COMMENT).exists()

    phone.context.set_offline(False)  # the page hears "online" and asks the worker to send
    phone.wait_for_function(
        "s => document.querySelector(s).textContent.includes('đã được gửi')",
        arg="form[data-feedback] .feedback-status",
        timeout=15000,
    )
    assert "đã được gửi" in status.inner_text()
    assert queued_posts(phone) == 0
    rating = Rating.objects.get(comment=COMMENT)
    assert rating.score == 4 and rating.status == Rating.Status.PENDING

    # Asking again (another page load, another "online") sends nothing more.
    phone.reload(wait_until="load")
    phone.evaluate(
        "navigator.serviceWorker.ready.then(r => r.active.postMessage({type: 'flush-posts'}))"
    )
    phone.wait_for_timeout(500)
    assert Rating.objects.filter(comment=COMMENT).count() == 1


def test_a_rating_sent_online_gets_its_answer_on_the_page(phone, demo):
    phone.goto(f"{demo}/en{RELIC}", wait_until="load")
    form = phone.locator("form[data-feedback]").first
    phone.get_by_role("button", name="Send rating").click()  # no stars chosen
    # The browser's own check stops it first; the server's message shows for what gets past.
    assert Rating.objects.count() == 0
    form.locator("label[for=fb-score-5]").click()
    form.locator("#fb-comment").fill("<script>alert(1)</script>")
    phone.get_by_role("button", name="Send rating").click()
    phone.wait_for_function(
        "s => document.querySelector(s).textContent.includes('plain text only')",
        arg="form[data-feedback] .feedback-status",
    )
    assert form.locator("#fb-comment").get_attribute("aria-invalid") == "true"
    form.locator("#fb-comment").fill("Very peaceful.")
    phone.get_by_role("button", name="Send rating").click()
    phone.wait_for_function(
        "s => document.querySelector(s).textContent.includes('Thank you')",
        arg="form[data-feedback] .feedback-status",
    )
    assert Rating.objects.get().language == "en"
