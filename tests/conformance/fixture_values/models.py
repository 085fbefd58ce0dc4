import uuid

from django.db import models


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name


class Label(models.Model):
    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name


class Event(models.Model):
    title = models.CharField(max_length=50)
    starts = models.DateTimeField(null=True)
    day = models.DateField(null=True)
    at = models.TimeField(null=True)
    length = models.DurationField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    ratio = models.FloatField(null=True)
    done = models.BooleanField(default=False)
    data = models.JSONField(null=True)
    count = models.IntegerField(default=3)
    tags = models.ManyToManyField(Tag)
    labels = models.ManyToManyField(Label)

    def __str__(self):
        return self.title
