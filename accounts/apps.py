from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core import checks

        from .checks import translations_compiled

        checks.register(translations_compiled)
