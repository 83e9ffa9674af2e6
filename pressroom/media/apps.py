from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "pressroom.media"
    label = "media"
    verbose_name = "Photos"

    def ready(self):
        from pressroom.media import photos
        from pressroom.releases import services

        # Photo texts are this app's rows, written by the releases' write path, which stands
        # below this app and cannot import it: it is handed the two functions that store them.
        services.store_photo_texts_with(
            services.PhotoTextRows(
                update=photos.update_photo_texts, create=photos.create_photo_texts
            )
        )
