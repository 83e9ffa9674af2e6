from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "pressroom.releases"
    label = "releases"
    verbose_name = "Releases"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from pressroom.caching import release_changed
        from pressroom.releases.models import Release
        from pressroom.releases.signals import content_written

        # Every path that changes what a public page shows saves a release or writes its text
        # through the write path (which counts as a save: it moves updated_at): this
        # process's publication reading is taken again (pressroom.caching.current_state).
        post_save.connect(release_changed, sender=Release, dispatch_uid="pressroom-reading-save")
        post_delete.connect(
            release_changed, sender=Release, dispatch_uid="pressroom-reading-delete"
        )
        content_written.connect(release_changed, dispatch_uid="pressroom-reading-text")
