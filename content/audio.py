"""Narration uploads checked by content: MP3, M4A (AAC) or OGG (Vorbis/Opus), size and length."""

import io
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
DEFAULT_MAX_SECONDS = 20 * 60
EXTENSIONS = {"audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "ogg"}


class AudioError(ValueError):
    """An upload that is not an acceptable narration; the message is for staff."""


@dataclass(frozen=True)
class AudioInfo:
    codec: str  # "mp3", "aac", "vorbis" or "opus"
    mime_type: str
    duration_seconds: float
    size: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


def format_duration(seconds: float) -> str:
    """3:05 for 185 s; 1:02:03 past an hour."""
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def inspect_audio(
    fileobj: BinaryIO,
    size: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: int = DEFAULT_MAX_SECONDS,
) -> AudioInfo:
    """Read the container and codec from the bytes themselves; raise AudioError if unfit."""
    if size <= 0:
        raise AudioError(_("Tệp âm thanh rỗng."))
    if size > max_bytes:
        raise AudioError(
            _("Tệp nặng %(size).1f MB, vượt giới hạn %(limit)d MB. Hãy nén lại (MP3 64 kbps).")
            % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    fileobj.seek(0)
    head = fileobj.read(12)
    fileobj.seek(0)
    codec, mime, duration = _probe(fileobj, head)
    if not duration or duration <= 0:
        raise AudioError(_("Không đọc được thời lượng của tệp âm thanh; tệp có thể bị hỏng."))
    if duration > max_seconds:
        raise AudioError(
            _(
                "Bản thuyết minh dài %(length)s, vượt giới hạn %(limit)d phút. "
                "Hãy cắt ngắn hoặc chia thành nhiều phần."
            )
            % {"length": format_duration(duration), "limit": max_seconds // 60}
        )
    return AudioInfo(codec=codec, mime_type=mime, duration_seconds=float(duration), size=size)


def _probe(fileobj: BinaryIO, head: bytes) -> tuple[str, str, float]:
    from mutagen import MutagenError

    not_audio = _("Tệp này không phải âm thanh MP3, M4A hay OGG (đã kiểm tra nội dung tệp).")
    data = io.BytesIO(fileobj.read())  # mutagen seeks freely; uploads are capped above
    try:
        if head.startswith(b"OggS"):
            return _probe_ogg(data)
        if head[4:8] == b"ftyp":
            return _probe_mp4(data)
        if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0):
            return _probe_mp3(data)
    except (MutagenError, ValueError, EOFError, OSError) as exc:
        if isinstance(exc, AudioError):
            raise
        raise AudioError(not_audio) from exc
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        raise AudioError(
            _(
                "Tệp WAV chưa nén quá nặng cho điện thoại của du khách; "
                "hãy chuyển sang MP3, M4A hoặc OGG rồi tải lên lại."
            )
        )
    raise AudioError(not_audio)


def _probe_mp3(data: io.BytesIO) -> tuple[str, str, float]:
    from mutagen.mp3 import MP3

    audio = MP3(data)
    if audio.info.layer != 3:
        raise AudioError(_("Tệp MPEG này không phải MP3 (layer III)."))
    return "mp3", "audio/mpeg", audio.info.length


def _probe_mp4(data: io.BytesIO) -> tuple[str, str, float]:
    from mutagen.mp4 import MP4

    audio = MP4(data)
    if not (audio.info.codec or "").startswith("mp4a"):
        raise AudioError(_("Tệp M4A phải dùng mã hóa AAC."))
    return "aac", "audio/mp4", audio.info.length


def _probe_ogg(data: io.BytesIO) -> tuple[str, str, float]:
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis

    for codec, kind in (("opus", OggOpus), ("vorbis", OggVorbis)):
        data.seek(0)
        try:
            return codec, "audio/ogg", kind(data).info.length
        except Exception:  # noqa: BLE001 — mutagen raises its own error per codec; try the next
            continue
    raise AudioError(_("Tệp OGG phải chứa âm thanh Vorbis hoặc Opus."))
