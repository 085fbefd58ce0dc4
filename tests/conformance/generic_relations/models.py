from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Tag(models.Model):
    label = models.SlugField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey('content_type', 'object_id')

    class Meta:
        ordering = ['label']
        indexes = [models.Index(fields=['content_type', 'object_id'])]

    def __str__(self):
        return self.label


class Bookmark(models.Model):
    url = models.URLField()

    def __str__(self):
        return self.url


class Note(models.Model):
    text = models.CharField(max_length=50)

    def __str__(self):
        return self.text


class Comment(models.Model):
    body = models.TextField()
    kind = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, related_name='+')
    pk_of = models.CharField(max_length=20, null=True)
    target = GenericForeignKey('kind', 'pk_of')
