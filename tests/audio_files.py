"""Tiny audio files made in Python for tests: silent MP3, Opus-in-Ogg, M4A headers and a WAV."""

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


def _atom(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def m4a_bytes(seconds: float = 2.0, codec: bytes = b"mp4a") -> bytes:
    """The atoms mutagen reads from an M4A: ftyp, mvhd and one sound track (AAC or ALAC)."""
    timescale = 44100
    duration = int(seconds * timescale)
    mvhd = _atom(
        b"mvhd",
        bytes(4)
        + struct.pack(">IIII", 0, 0, timescale, duration)
        + struct.pack(">IH", 0x00010000, 0x0100)
        + bytes(10)
        + bytes(36)
        + bytes(24)
        + struct.pack(">I", 2),
    )
    mdhd = _atom(
        b"mdhd",
        bytes(4) + struct.pack(">IIII", 0, 0, timescale, duration) + struct.pack(">HH", 0x55C4, 0),
    )
    hdlr = _atom(b"hdlr", bytes(4) + bytes(4) + b"soun" + bytes(12) + b"\x00")
    dsi = bytes([0x05, 2, 0x12, 0x08])  # AAC LC, 44.1 kHz, mono
    dcd = (
        bytes([0x04, 13 + len(dsi), 0x40, 0x15]) + bytes(3) + struct.pack(">II", 64000, 64000) + dsi
    )
    esd = bytes([0x03, 3 + len(dcd) + 3]) + struct.pack(">HB", 1, 0) + dcd + bytes([0x06, 1, 0x02])
    extra = _atom(b"esds", bytes(4) + esd) if codec == b"mp4a" else _atom(b"alac", bytes(28))
    entry = _atom(
        codec,
        bytes(6)
        + struct.pack(">H", 1)
        + bytes(8)
        + struct.pack(">HHHHI", 1, 16, 0, 0, timescale << 16)
        + extra,
    )
    stsd = _atom(b"stsd", bytes(4) + struct.pack(">I", 1) + entry)
    minf = _atom(b"minf", _atom(b"stbl", stsd))
    trak = _atom(b"trak", _atom(b"mdia", mdhd + hdlr + minf))
    return _atom(b"ftyp", b"M4A " + bytes(4) + b"M4A mp42isom") + _atom(b"moov", mvhd + trak)
