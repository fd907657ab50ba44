"""A feed's bytes made safe for feedparser: read in the encoding they are really written in,
and no field or tag long enough to make its parse super-linear."""

from __future__ import annotations

import codecs
import re

# feedparser searches author-like text for an e-mail address with a regex whose cost grows
# with the square of the text (20,000 characters: 1.1 s; 200,000: minutes). A Post keeps
# 200 characters of an author anyway.
PERSON_FIELD_CHARS = 256
# Other one-line fields (titles, links, dates) are read in linear time, but a title of a
# megabyte is no title: they keep a few thousand characters.
SMALL_FIELD_CHARS = 4_000
# feedparser's cost grows with the square of a tag's attribute count (10,000: 1.1 s, 40,000:
# 18 s): a start tag longer than this keeps only the attributes that fit.
MAX_TAG_CHARS = 8_000

PERSON_FIELDS = (
    "author creator name email publisher contributor managingeditor webmaster owner"
).split()
SMALL_FIELDS = (
    "title subtitle category link guid id uri comments pubdate published updated issued "
    "modified created date subject keywords language rights copyright generator"
).split()
_NAMES = "|".join(PERSON_FIELDS + SMALL_FIELDS)
_FIELD_TAG = re.compile(rf"<(?:[A-Za-z_][\w.-]*:)?({_NAMES})(?=[\s>/])[^<>]*>", re.IGNORECASE)
_TEXT = re.compile(r"[^<]*")
_LONG_TAG = re.compile(rf"<([A-Za-z_][\w.:-]*)(\s[^<>]{{{MAX_TAG_CHARS},}})>")
_ATTRIBUTE = re.compile(r"""\s+[^\s=<>/]+\s*=\s*(?:"[^"]*"|'[^']*')""")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*)(["'])[^"']*\2""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"%PDF", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ", "application/x-xz"),
    (b"7z\xbc\xaf", "application/x-7z-compressed"),
    (b"\x7fELF", "application/x-executable"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
)
_GB = {"gb2312", "gbk", "gb18030"}  # GB18030 reads all of them; feeds labelled gb2312 use GBK


def safe_feed(content: bytes, http_charset: str | None = None) -> tuple[bytes, list[str]]:
    """UTF-8 bytes of the feed with over-long fields and tags cut, and warnings about it."""
    text, warnings = decode_feed(content, http_charset)
    text = _LONG_TAG.sub(_shorten_tag, text)
    text = bound_fields(text)
    text = _DECLARATION.sub(lambda match: f"{match[1]}{match[2]}utf-8{match[2]}", text, count=1)
    return text.encode("utf-8", "replace"), warnings


def binary_kind(head: bytes) -> str | None:
    """'image/png?' (a guess from the first bytes) when a body is binary, else None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return f"{kind}?"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"{'image/webp' if head[8:12] == b'WEBP' else 'audio or video'}?"
    if head[4:8] == b"ftyp":
        return "video/mp4?"
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16 and UTF-32 text has NUL bytes of its own
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    return "unknown type" if b"\x00" in head or controls > len(head) // 20 else None


def decode_feed(content: bytes, http_charset: str | None = None) -> tuple[str, list[str]]:
    """The feed as text: a BOM decides; else UTF-8, the declared and HTTP charsets, GB18030.

    Strict UTF-8 goes first: text in another encoding is almost never valid UTF-8 by
    chance. Single-byte encodings decode anything, so they are tried after the multi-byte
    ones, and GB18030 (what a feed "declared UTF-8" from China is usually written in) last.
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content.decode(encoding, "replace").lstrip("\ufeff"), []
    declared_match = _DECLARED.match(content[:1024])
    declared = _canonical(declared_match[1].decode("ascii")) if declared_match else None
    named = [name for name in (_canonical(http_charset), declared) if name]
    strict = [name for name in named if not _lenient(name)]
    lenient = [name for name in named if _lenient(name)]
    candidates = list(dict.fromkeys(["utf-8", *strict, *lenient, "gb18030"]))
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings = []
        if declared and encoding != declared and not _reads_as(content, declared):
            warnings.append(f"declared {declared} but written in {encoding}: read as {encoding}")
        return text, warnings
    fallback = declared or "utf-8"
    warning = f"not valid {fallback} (nor {', '.join(c for c in candidates if c != fallback)})"
    return content.decode(fallback, "replace"), [f"{warning}: unreadable bytes replaced"]


def _canonical(name: str | None) -> str | None:
    """The codec's standard name (gb2312 and gbk read as gb18030); None when unknown."""
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "gb18030" if canonical in _GB else "utf-8" if canonical == "ascii" else canonical


def _lenient(encoding: str) -> bool:
    """Whether every byte sequence decodes in `encoding` (the single-byte ones)."""
    try:
        bytes(range(256)).decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _reads_as(content: bytes, encoding: str) -> bool:
    """Whether `content` decodes without error in `encoding`."""
    try:
        content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _shorten_tag(match: re.Match[str]) -> str:
    """A start tag with the attributes that fit in MAX_TAG_CHARS (self-closing kept)."""
    name, attributes = match[1], match[2]
    kept, size = [], 0
    for attribute in _ATTRIBUTE.finditer(attributes):
        size += len(attribute[0])
        if size > MAX_TAG_CHARS:
            break
        kept.append(attribute[0])
    closing = "/" if attributes.rstrip().endswith("/") else ""
    return f"<{name}{''.join(kept)}{closing}>"


def bound_fields(text: str) -> str:
    """`text` with the content of author-like and one-line elements cut to their limits.

    One pass: each field's content (text, CDATA sections, comments) is measured once and the
    search goes on after it, so the cost is linear in the document.
    """
    out: list[str] = []
    done = position = 0
    cdata_end, comment_end = text.rfind("]]>"), text.rfind("-->")
    while (tag := _FIELD_TAG.search(text, position)) is not None:
        position = tag.end()
        if tag[0].endswith("/>"):
            continue
        limit = PERSON_FIELD_CHARS if tag[1].lower() in PERSON_FIELDS else SMALL_FIELD_CHARS
        pieces, end = _content_pieces(text, position, cdata_end, comment_end)
        if sum(len(piece) for kind, piece in pieces if kind != "comment") > limit:
            out += [text[done:position], _cut(pieces, limit)]
            done = end
        position = max(position, end)
    return "".join(out) + text[done:] if out else text


def _content_pieces(
    text: str, start: int, cdata_end: int, comment_end: int
) -> tuple[list[tuple[str, str]], int]:
    """The (kind, text) pieces of an element's content from `start`, and where it ends."""
    pieces: list[tuple[str, str]] = []
    position = start
    while True:
        run = _TEXT.match(text, position)
        assert run is not None  # [^<]* always matches
        if run[0]:
            pieces.append(("text", run[0]))
        position = run.end()
        if text.startswith("<![CDATA[", position) and position + 9 <= cdata_end:
            end = text.find("]]>", position + 9) + 3
            pieces.append(("cdata", text[position + 9 : end - 3]))
        elif text.startswith("<!--", position) and position + 4 <= comment_end:
            end = text.find("-->", position + 4) + 3
            pieces.append(("comment", ""))
        else:
            return pieces, position
        position = end


def _cut(pieces: list[tuple[str, str]], limit: int) -> str:
    """The pieces again as markup, keeping `limit` characters of their text."""
    out, left = [], limit
    for kind, piece in pieces:
        if kind == "comment" or left <= 0:
            continue
        kept = piece[:left]
        left -= len(kept)
        if kind == "cdata":
            out.append(f"<![CDATA[{kept}]]>")
            continue
        if len(kept) < len(piece):
            entity = kept.rfind("&")
            if entity > kept.rfind(";"):
                kept = kept[:entity]  # a reference cut in half would be a parse error
            closing = piece.find("]]>", max(0, len(kept) - 2))
            if closing >= 0:
                # The field sat inside another element's CDATA: keep that section closed.
                kept = kept[: min(len(kept), closing)] + "]]>"
        out.append(kept)
    return "".join(out)
