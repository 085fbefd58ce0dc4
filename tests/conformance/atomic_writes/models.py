from django.db import models


class Shelf(models.Model):
    name = models.CharField(max_length=30, unique=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Box(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name='boxes')
    label = models.CharField(max_length=30, unique=True)
    tags = models.ManyToManyField('Tag', related_name='boxes')

    class Meta:
        ordering = ['label']

    def __str__(self):
        return self.label


class Tag(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name
