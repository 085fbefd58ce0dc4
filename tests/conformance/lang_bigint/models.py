from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=50)
    balance = models.BigIntegerField(default=0)
    points = models.IntegerField(default=0)
    ratio = models.FloatField(default=0)
    amount = models.DecimalField(max_digits=30, decimal_places=2, default=0)

    class Meta:
        ordering = ['id']

    def __str__(self):
        return self.name
