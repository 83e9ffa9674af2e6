"""Records that belong to the installation rather than to any one part of the domain."""

from django.db import models


class DemoRelease(models.Model):
    """Marks a release written by `pressroom loaddemo`, so loading again adds nothing twice
    and `loaddemo --refresh` removes exactly the samples and nothing an editor wrote."""

    key = models.SlugField(max_length=64, unique=True)
    release = models.OneToOneField(
        "releases.Release", on_delete=models.CASCADE, related_name="demo_marker"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sample {self.key}"
