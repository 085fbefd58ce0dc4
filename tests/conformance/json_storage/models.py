from django.db import models


class Dog(models.Model):
    name = models.CharField(max_length=20)
    data = models.JSONField(null=True)

    def __str__(self):
        return self.name
