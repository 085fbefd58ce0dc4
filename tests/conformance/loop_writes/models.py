from django.db import models


class Shelf(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Item(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name='items')
    name = models.CharField(max_length=50)
    rank = models.IntegerField(db_index=True)

    def __str__(self):
        return self.name
