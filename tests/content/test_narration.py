"""Audio narration: uploads checked by content, the player, and the phone-voice fallback."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from content.audio import AudioError, format_duration, inspect_audio
from content.models import Narration
from tests.audio_files import m4a_bytes, mp3_bytes, ogg_opus_bytes, wav_bytes
from tests.factories import make_narration, make_relic, translate


def inspect(data: bytes, **limits):
    return inspect_audio(io.BytesIO(data), len(data), **limits)


def test_mp3_and_ogg_are_read_by_content():
    mp3 = inspect(mp3_bytes(3))
    assert (mp3.codec, mp3.mime_type, mp3.extension) == ("mp3", "audio/mpeg", "mp3")
    assert 2.9 < mp3.duration_seconds < 3.1
    opus = inspect(ogg_opus_bytes(4))
    assert (opus.codec, opus.mime_type) == ("opus", "audio/ogg")
    assert opus.duration_seconds == pytest.approx(4.0)
    aac = inspect(m4a_bytes(5))
    assert (aac.codec, aac.mime_type, aac.extension) == ("aac", "audio/mp4", "m4a")
    assert aac.duration_seconds == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"Day la mot tep van ban, khong phai am thanh." * 20, "không phải âm thanh"),
        (wav_bytes(), "WAV"),
        (b"OggS" + bytes(200), "Vorbis hoặc Opus"),
        (b"\xff\xfb" + bytes(50), "không phải âm thanh"),
        (b"\x00\x00\x00\x18ftypM4A " + bytes(100), "không phải âm thanh"),
        (b"%PDF-1.7\n" + bytes(100), "không phải âm thanh"),
        (m4a_bytes(5, codec=b"alac"), "AAC"),
    ],
)
def test_files_that_are_not_narrations_get_a_vietnamese_message(data, message):
    with translation.override("vi"), pytest.raises(AudioError, match=message):
        inspect(data)


def test_a_two_hour_recording_is_refused_with_its_length():
    with translation.override("vi"), pytest.raises(AudioError) as excinfo:
        inspect(mp3_bytes(1, declared_seconds=2 * 3600))
    assert "2:00:00" in str(excinfo.value) and "20 phút" in str(excinfo.value)


def test_an_oversized_file_is_refused_before_reading_it():
    with translation.override("vi"), pytest.raises(AudioError, match="vượt giới hạn 1 MB"):
        inspect_audio(io.BytesIO(b""), 5 * 1024 * 1024, max_bytes=1024 * 1024)


def test_format_duration():
    assert format_duration(185) == "3:05"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(0) == "0:00"


def test_visitor_page_has_a_player_with_speeds_and_transcript(client, district):
    relic = make_relic(district["wards"][0])
    narration = make_narration(relic)
    assert narration.file.name.endswith(".mp3") and narration.mime_type == "audio/mpeg"
    html = client.get(relic.url).content.decode()
    assert '<audio class="narration" controls preload="none"' in html
    assert f'<source src="{narration.file.url}" type="audio/mpeg">' in html
    for speed in ("0.75", "1", "1.25", "1.5"):
        assert f'data-speed="{speed}"' in html
    assert "Lời thuyết minh mẫu." in html and '<details class="transcript">' in html
    assert 'class="speak"' not in html


def test_without_a_recording_in_the_visitors_language_the_phone_reads(client, district):
    relic = make_relic(district["wards"][0])
    make_narration(relic, "vi")
    with translation.override("vi"):
        url = relic.url
    html = client.get(f"/en{url}").content.decode()
    assert "<audio" not in html
    assert 'class="speak" data-lang="vi-VN"' in html  # the text on the page is Vietnamese


def test_recording_on_the_vietnamese_page_serves_its_translation(client, district):
    relic = make_relic(district["wards"][0])
    with translation.override("vi"):
        en = translate(relic, "en", title="Dong Khe")
        en_url = en.url
    make_narration(relic, "en", transcript="English narration.")
    html = client.get(en_url).content.decode()
    assert "<audio" in html and "English narration." in html


class TestNarrationAdmin:
    @pytest.fixture(autouse=True)
    def setup(self, admin_client, district):
        self.client = admin_client
        self.relic = make_relic(district["wards"][0])

    def post(self, data: bytes, name: str):
        return self.client.post(
            "/admin/snippets/content/narration/add/",
            {
                "relic": self.relic.pk,
                "language": "vi",
                "narrator": "",
                "transcript": "Xin chào",
                "file": SimpleUploadedFile(name, data, "audio/mpeg"),
            },
        )

    def test_staff_upload_an_mp3_and_see_its_duration(self):
        response = self.post(mp3_bytes(65), "thuyet-minh.mp3")
        assert response.status_code == 302
        narration = Narration.objects.get()
        assert 64 < narration.duration_seconds < 66
        listing = self.client.get("/admin/snippets/content/narration/").content.decode()
        assert "1:05" in listing
        edit = self.client.get(f"/admin/snippets/content/narration/edit/{narration.pk}/")
        assert edit.status_code == 200 and "65" in edit.content.decode()

    def test_ogg_opus_is_accepted(self):
        assert self.post(ogg_opus_bytes(3), "a.ogg").status_code == 302
        assert Narration.objects.get().file.name.endswith(".ogg")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"not audio at all, just text" * 10, "không phải âm thanh MP3, M4A hay OGG"),
            (mp3_bytes(1, declared_seconds=7200), "vượt giới hạn 20 phút"),
            (wav_bytes(), "Tệp WAV"),
        ],
    )
    def test_bad_files_get_a_message_not_a_500(self, data, message):
        response = self.post(data, "thuyet-minh.mp3")
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Narration.objects.exists()

    @override_settings(NARRATION_MAX_BYTES=4000)
    def test_too_big_a_file_is_refused(self):
        response = self.post(mp3_bytes(5), "a.mp3")
        assert response.status_code == 200
        assert "vượt giới hạn" in response.content.decode()
