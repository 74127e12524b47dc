"""Characters no text field may carry into the database (issue 11).

PostgreSQL refuses a NUL byte in text; lone surrogates cannot be encoded as UTF-8; Unicode
non-characters (U+FDD0..U+FDEF and the last two code points of every plane) and control
characters other than tab and line breaks have no place in office data. Every text the
services accept passes :func:`clean_text` (which drops them) or :func:`bad_characters`.
"""

from __future__ import annotations

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def is_bad_char(ch: str) -> bool:
    cp = ord(ch)
    if cp < 0x20 and ch not in _ALLOWED_CONTROLS:
        return True
    if cp == 0x7F or 0xD800 <= cp <= 0xDFFF or 0xFDD0 <= cp <= 0xFDEF:
        return True
    return (cp & 0xFFFE) == 0xFFFE


def bad_characters(text: str) -> bool:
    """Whether ``text`` holds a character that must not be stored."""
    return any(is_bad_char(ch) for ch in text)


def clean_text(text: str) -> str:
    """``text`` without the characters that must not be stored."""
    if not bad_characters(text):
        return text
    return "".join(ch for ch in text if not is_bad_char(ch))


def folded_length(text: str) -> int:
    """The length after lower-casing (search keys): 'İ'.lower() is two characters."""
    return len(text.lower())


def search_key(text: str, limit: int = 200) -> str:
    """The lower-cased key stored for prefix search, cut so that it fits ``limit`` characters
    *after* lower-casing ('İ' becomes two characters)."""
    key = clean_text(text).lower()
    return key[:limit]
