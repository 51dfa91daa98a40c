"""Password rules beyond Django's own."""

from django.contrib.auth.password_validation import NumericPasswordValidator

from .models import User


class DigitsOnlyPasswordValidator(NumericPasswordValidator):
    """Django's rule against a password of digits alone, for the digits 0-9: the rule the API's schema can
    state exactly (`pattern: "[^0-9]"`, the same in every regex engine). Django's own uses str.isdigit(),
    which also counts hundreds of other characters (superscripts, other scripts' digits) as digits."""

    def validate(self, password: str, user: User | None = None) -> None:
        if password.isascii():
            super().validate(password, user)
