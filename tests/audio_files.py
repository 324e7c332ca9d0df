"""Tiny, valid audio files made in Python for tests: silent MP3 and Opus-in-Ogg, and a WAV."""

import io
import struct
import wave

# MPEG-1 Layer III, 32 kbit/s, 32 kHz, mono: 144-byte frames of 1152 samples (36 ms).
# All-zero side information decodes as silence, so browsers can play these too.
_MP3_HEADER = bytes([0xFF, 0xFB, 0x18, 0xC0])
_MP3_FRAME = 144
_MP3_SAMPLES, _MP3_RATE = 1152, 32000


def mp3_bytes(seconds: float = 2.0, *, declared_seconds: float | None = None) -> bytes:
    """A silent MP3; declared_seconds writes a Xing header claiming another length."""
    frames = max(1, round(seconds * _MP3_RATE / _MP3_SAMPLES))
    body = _MP3_HEADER + bytes(_MP3_FRAME - 4)
    out = bytearray()
    if declared_seconds is not None:
        claimed = round(declared_seconds * _MP3_RATE / _MP3_SAMPLES)
        xing = bytearray(body)
        xing[4 + 17 : 4 + 17 + 12] = b"Xing" + struct.pack(">II", 1, claimed)
        out += xing
    out += body * frames
    return bytes(out)


def ogg_opus_bytes(seconds: float = 2.0) -> bytes:
    """An Ogg Opus stream with headers and one (silent) packet ending at `seconds`."""
    from mutagen.ogg import OggPage

    pre_skip = 312
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, pre_skip, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 0)
    pages = []
    for seq, (packet, granule, flags) in enumerate(
        [(head, 0, 0x02), (tags, 0, 0), (b"\xf8\xff\xfe", int(seconds * 48000) + pre_skip, 0x04)]
    ):
        page = OggPage()
        page.serial, page.sequence, page.position = 1234, seq, granule
        page.first, page.last = flags & 0x02 != 0, flags & 0x04 != 0
        page.packets = [packet]
        pages.append(page.write())
    return b"".join(pages)


def wav_bytes(seconds: float = 1.0) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(int(8000 * seconds) * 2))
    return buf.getvalue()
