from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_LENGTH = 12
DRAFT, LIVE = 'd', 'l'
STATUS_CHOICES = [
    (DRAFT, _('Draft')),
    (LIVE, _('Published')),
]
MEDIA_CHOICES = [
    ('Audio', (('vinyl', 'Vinyl'), ('cd', 'CD'))),
    ('Video', (('vhs', 'VHS Tape'), ('dvd', 'DVD'))),
    ('unknown', 'Unknown'),
]
SIZES = {'s': 'Small', 'l': 'Large'}


class Item(models.Model):
    name = models.CharField(_('item name'), max_length=NAME_LENGTH)
    status = models.CharField(max_length=1, choices=STATUS_CHOICES, default=DRAFT)
    media = models.CharField(max_length=10, choices=MEDIA_CHOICES, blank=True)
    size = models.CharField(max_length=1, choices=SIZES, default='s')

    class Meta:
        ordering = ['name']
        verbose_name = _('catalogue item')

    def __str__(self):
        return self.name
