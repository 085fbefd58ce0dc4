from django.db import models


class Event(models.Model):
    title = models.CharField(max_length=40)
    day = models.DateField()
    starts = models.DateTimeField(null=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ['day']

    def __str__(self):
        return f'{self.title} on {self.day}'
