from django.db import models


class Meeting(models.Model):
    title = models.CharField(max_length=40)
    at = models.DateTimeField()

    class Meta:
        ordering = ['at']

    def __str__(self):
        return self.title
