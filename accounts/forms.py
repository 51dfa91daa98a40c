from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .actions import EMAIL_TAKEN
from .models import User


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=format_lazy(
            gettext_lazy("At least {n} characters, not too common, not all numbers."), n=settings.PASSWORD_MIN_LENGTH
        ),
    )

    def clean(self) -> dict[str, Any]:
        """Every problem at once: the address (its form, or an account that has it) and the password (all
        its rules), so nobody fixes one field to be told about the other."""

        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if password:
            try:
                validate_password(password, user=User(email=email or ""))
            except ValidationError as exc:
                self.add_error("password", exc.messages)
        if email and User.objects.filter(email__iexact=email).exists():
            self.add_error("email", EMAIL_TAKEN)
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
