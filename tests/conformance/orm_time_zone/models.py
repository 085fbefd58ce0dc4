from django.db import models


class Meeting(models.Model):
    title = models.CharField(max_length=50)
    at = models.DateTimeField()
    day = models.DateField(null=True)

    class Meta:
        ordering = ['at']

    def __str__(self):
        return self.title
