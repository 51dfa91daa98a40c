"""Patterns the API's schemas declare for text (OpenAPI `pattern`, read with Python's `re`, as the
server's own checks are written), so that the schema says what the server enforces."""

# At least one character that is not whitespace: what is left after str.strip() is not empty.
NOT_BLANK = r"\S"

# At least one character that is not a digit (Django's NumericPasswordValidator refuses all digits).
NOT_ONLY_DIGITS = r"\D"
