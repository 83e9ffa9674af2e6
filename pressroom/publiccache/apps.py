from django.apps import AppConfig


class PublicCacheConfig(AppConfig):
    name = "pressroom.publiccache"
    label = "publiccache"
    verbose_name = "Public HTTP caching"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from pressroom.publiccache.generation import release_changed
        from pressroom.releases.models import Release
        from pressroom.releases.signals import content_written

        # Every path that changes what a public page shows saves a release or writes its text
        # through the write path (which counts as a save: it moves updated_at): this
        # process's generation is read again (generation.current_freshness).
        post_save.connect(release_changed, sender=Release, dispatch_uid="publiccache-save")
        post_delete.connect(release_changed, sender=Release, dispatch_uid="publiccache-delete")
        content_written.connect(release_changed, dispatch_uid="publiccache-text")
