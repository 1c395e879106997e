"""Decode the bytes of a CSV file strictly: a wrong encoding is an error.

A file whose encoding is not declared is read as UTF-8 (with or without
byte-order mark), UTF-16 (with byte-order mark) or else Windows-1252, the
encoding Excel uses for CSV on Dutch Windows.  No byte is ever replaced:
a byte that Windows-1252 lacks (0x81) does not become a replacement
character, and a UTF-8 file is not read in a declared single-byte encoding,
where ``één`` would become ``Ã©Ã©n``.  Either is rejected with the line, the
bytes and what to do.
"""

from __future__ import annotations

import codecs
import logging
import re
from functools import lru_cache

from wijkboekhouding.importers.table.review import UnreadableFile

log = logging.getLogger(__name__)

FALLBACK = "cp1252"
MAPPING_ADVICE = (
    'save the file as "CSV UTF-8" from the spreadsheet program, or declare its'
    " encoding under [source] in the mapping, e.g. {other}"
)
WINDOWS = 'encoding = "cp1252" (Excel on Windows)'
OLD_MAC = 'encoding = "mac-roman" (an older Mac)'


class WrongEncoding(UnreadableFile):
    """A file with bytes that its encoding (declared or assumed) does not have."""

    def __init__(
        self,
        file: str,
        raw: bytes,
        error: UnicodeDecodeError,
        advice: str,
        verdict: str | None = None,
    ) -> None:
        line, before = _position(raw, error.start, error.encoding)
        found = _hex(raw[error.start : max(error.end, error.start + 1)])
        after = f", after {before!r}" if before else ""
        verdict = verdict or f"not valid {error.encoding}"
        super().__init__(file, f"line {line} is {verdict} ({found}{after}); {advice}")


class UndeclaredUtf8(UnreadableFile):
    """A UTF-8 file that the mapping says is in a single-byte encoding."""

    def __init__(self, file: str, raw: bytes, start: int, encoding: str) -> None:
        line, _ = _position(raw, start, "utf-8")
        end = start + 1
        while end < len(raw) and raw[end] & 0xC0 == 0x80:
            end += 1
        char = raw[start:end].decode("utf-8")
        shown = "the byte-order mark" if char == "\ufeff" else repr(char)
        garbled = raw[start:end].decode(encoding, errors="replace")
        super().__init__(
            file,
            f"is UTF-8 (line {line} has {shown}, {_hex(raw[start:end])}),"
            f" but the mapping declares encoding = {encoding!r}, which would read"
            f' it as {garbled!r}; set encoding = "utf-8" under [source] in the'
            " mapping, or leave encoding out (UTF-8 is recognised)",
        )


def decode(
    file: str, raw: bytes, encoding: str | None, advice: str = MAPPING_ADVICE
) -> str:
    """The text of a file, in the declared encoding or the one recognised.

    Args:
      file: The file's name, for messages.
      raw: Its bytes.
      encoding: The declared encoding; None to recognise it.
      advice: What to do when the bytes do not decode; ``{other}`` becomes
        an ``encoding = ...`` line to try instead.

    Raises:
      UnreadableFile: an unknown encoding, or not a text file.
      WrongEncoding: a byte the encoding does not have.
      UndeclaredUtf8: a UTF-8 file declared in a single-byte encoding.
    """
    if encoding is not None:
        return _declared(file, raw, encoding, advice)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(file, raw, "utf-16", advice).lstrip("\ufeff")
    if b"\x00" in raw:
        raise UnreadableFile(
            file, "is not a text file; give a CSV file, or an .xlsx file by its name"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.info("%s: not UTF-8, reading it as Windows-1252", file)
    advice = advice.replace("{other}", OLD_MAC)
    return _strict(file, raw, FALLBACK, advice, "neither UTF-8 nor Windows-1252")


def _declared(file: str, raw: bytes, encoding: str, advice: str) -> str:
    """Decode in the declared encoding, refusing a UTF-8 file it would garble."""
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise UnreadableFile(
            file, f"unknown encoding {encoding!r}; use utf-8 or cp1252"
        ) from exc
    if single_byte(encoding):
        start = _first_multibyte_utf8(raw)
        if start is not None:
            raise UndeclaredUtf8(file, raw, start, encoding)
    other = WINDOWS if codecs.lookup(encoding).name.startswith("utf") else OLD_MAC
    return _strict(file, raw, encoding, advice.replace("{other}", other)).lstrip(
        "\ufeff"
    )


def _strict(
    file: str, raw: bytes, encoding: str, advice: str, verdict: str | None = None
) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise WrongEncoding(file, raw, exc, advice, verdict) from exc


@lru_cache(maxsize=32)
def single_byte(encoding: str) -> bool:
    """Whether an encoding gives one character per byte (cp1252, latin-1).

    A multi-byte encoding (UTF-8, UTF-16, Shift JIS) waits for more bytes
    after some single byte; a single-byte one never does.
    """
    for value in range(256):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            if len(decoder.decode(bytes([value]))) != 1:
                return False
        except UnicodeDecodeError:
            continue
    return True


def _first_multibyte_utf8(raw: bytes) -> int | None:
    """Where the first non-ASCII character starts, if ``raw`` is valid UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return next((i for i, byte in enumerate(raw) if byte >= 0x80), None)


def _position(raw: bytes, start: int, encoding: str) -> tuple[int, str]:
    """The line number of a byte offset, and the text before it on that line."""
    before = raw[:start].decode(encoding, errors="replace").lstrip("\ufeff")
    line = before.count("\n") + 1
    text = before.rsplit("\n", 1)[-1].strip()
    if len(text) > 40:
        # Start the excerpt at a cell or word, not inside one.
        text = re.split(r"[;,\t ]", text[-40:], maxsplit=1)[-1]
    return line, text


def _hex(data: bytes) -> str:
    """``byte 0x81`` or ``bytes 0xc3 0xa9``."""
    shown = " ".join(f"0x{byte:02x}" for byte in data)
    return f"byte{'s' if len(data) > 1 else ''} {shown}"
