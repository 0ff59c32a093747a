"""Text from a store's email, made safe to print on a terminal.

A subject or sender name is written by whoever sent the mail. Printed as is,
``\\x1b]0;...\\x07`` retitles the window, ``\\x1b[2J`` clears the screen, a
carriage return overwrites the line it is on and bidi overrides reorder what is
read. So every control character (C0, DEL, C1), line/paragraph separator and
bidi control is replaced by a visible escape (``\\x1b``, ``\\u202e``) before it
reaches a terminal: the line still shows that something was there.
"""

import re

# C0 except tab/newline, DEL, C1; U+2028/2029; the bidi embeddings, overrides, isolates and marks.
_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[{_CLASS}]")
_UNSAFE_IN_A_LINE = re.compile(f"[{_CLASS}\t\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """``text`` with every character that could drive a terminal shown as an escape instead.

    One line (the default) also escapes tab and newline, so a subject cannot start a fake line;
    ``multiline=True`` keeps them, for a summary made of lines."""
    return (_UNSAFE if multiline else _UNSAFE_IN_A_LINE).sub(_escape, text)


def json_terminal_safe(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with C1 and bidi characters written as ``\\uXXXX`` escapes:
    the same JSON value, but nothing a terminal would act on (``json`` already escapes the rest of C0)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
