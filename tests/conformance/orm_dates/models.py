from datetime import date

from django.db import models
from django.utils import timezone


def make_token():
    return 'tok'


class Event(models.Model):
    name = models.CharField(max_length=40)
    day = models.DateField()
    start = models.DateTimeField()
    at = models.TimeField(null=True)
    length = models.DurationField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ['day', 'id']

    def __str__(self):
        return f'{self.name} on {self.day}'


class Stamped(models.Model):
    label = models.CharField(max_length=20, default='x')
    created = models.DateField(default=date.today)
    token = models.CharField(max_length=40, default=make_token)
    stamp = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.label
