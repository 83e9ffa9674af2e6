from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "pressroom.releases"
    label = "releases"
    verbose_name = "Releases"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from pressroom.caching import release_changed
        from pressroom.releases.models import Release

        # Every path that changes what a public page shows saves a release: this process's
        # publication reading is taken again (pressroom.caching.current_state).
        post_save.connect(release_changed, sender=Release, dispatch_uid="pressroom-reading-save")
        post_delete.connect(
            release_changed, sender=Release, dispatch_uid="pressroom-reading-delete"
        )
