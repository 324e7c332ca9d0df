"""The one row that says which generation of cached visitor pages is current."""

from django.db import models


class PageCacheGeneration(models.Model):
    """Bumped when visitor content changes; every process reads it, so every cache misses."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "thế hệ bộ nhớ đệm trang"
        verbose_name_plural = "thế hệ bộ nhớ đệm trang"
