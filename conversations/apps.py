from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from accounts import rights as data_rights
        from accounts.signals import guest_became_user

        from .actions import claim_guest_threads_on_signal
        from .rights import count_threads, export_threads

        guest_became_user.connect(claim_guest_threads_on_signal, dispatch_uid="conversations.claim_guest_threads")
        data_rights.register("threads", export_threads, count_threads)
