from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TaggedItem(models.Model):
    tag = models.SlugField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey()

    class Meta:
        ordering = ['tag']

    def __str__(self):
        return self.tag


class Bookmark(models.Model):
    url = models.CharField(max_length=100)
    tags = GenericRelation(TaggedItem)

    def __str__(self):
        return self.url


class Photo(models.Model):
    title = models.CharField(max_length=100)
    tags = GenericRelation(TaggedItem, related_query_name='photo')

    def __str__(self):
        return self.title
