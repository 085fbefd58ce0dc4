from django.db import models


class Blog(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Entry(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name='entries')
    headline = models.CharField(max_length=100)
    year = models.IntegerField()
    rating = models.IntegerField(null=True)
    tags = models.ManyToManyField(Tag, related_name='entries')

    class Meta:
        ordering = ['headline']

    def __str__(self):
        return self.headline
