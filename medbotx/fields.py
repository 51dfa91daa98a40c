"""Patterns the API's schemas declare for text, so that the schema says exactly what the server enforces,
whichever regex engine a client validates them with."""

# At least one character that is not whitespace as Python's str.strip() sees it (str.isspace()), spelled out:
# `\S` differs between regex engines (Rust's and JavaScript's leave out U+001C..U+001F; JavaScript's adds
# U+FEFF), so a client's validator could accept "\x1f" as text that the server strips to nothing.
NOT_BLANK = r"[^\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

# At least one character that is not a digit 0-9 (accounts.validators.DigitsOnlyPasswordValidator).
NOT_ONLY_DIGITS = r"[^0-9]"
