from django.db import models


class Entry(models.Model):
    headline = models.CharField(max_length=100)
    rating = models.IntegerField(default=0)

    class Meta:
        ordering = ['id']

    def __str__(self):
        return self.headline


class Owner(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Pet(models.Model):
    name = models.CharField(max_length=50)
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT)
    keeper = models.ForeignKey(Owner, on_delete=models.RESTRICT, null=True, related_name='kept')

    def __str__(self):
        return self.name
