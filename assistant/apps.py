from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AssistantConfig(AppConfig):
    name = "assistant"
    verbose_name = "Assistant and health library"

    def ready(self) -> None:
        from accounts import rights as data_rights

        from .library import library_changed
        from .models import Topic, TopicSource
        from .rights import export_feedback, export_safety_events

        data_rights.register("safety_events", export_safety_events)
        data_rights.register("feedback", export_feedback)

        for model in (Topic, TopicSource):
            post_save.connect(library_changed, sender=model, dispatch_uid=f"library-{model.__name__}-save")
            post_delete.connect(library_changed, sender=model, dispatch_uid=f"library-{model.__name__}-delete")
