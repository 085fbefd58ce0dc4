from django.db import models


class City(models.Model):
    name = models.CharField(max_length=30)
    country = models.CharField(max_length=30, blank=True)
    nickname = models.CharField(max_length=30, null=True)
    population = models.IntegerField()
    area = models.FloatField()

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name
