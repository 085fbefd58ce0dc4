from django.db import models


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status='p')

    def by(self, name):
        return self.filter(author=name)


class PublishedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status='p')

    def titles(self):
        return [p.title for p in self.all()]


class Post(models.Model):
    title = models.CharField(max_length=50)
    author = models.CharField(max_length=20)
    status = models.CharField(max_length=1, default='d')

    objects = PostQuerySet.as_manager()
    published_posts = PublishedManager()

    class Meta:
        ordering = ['title']

    def __str__(self):
        return self.title


class Note(models.Model):
    text = models.CharField(max_length=20)
    hidden = models.BooleanField(default=False)

    visible = PublishedManager.from_queryset(PostQuerySet)()

    def __str__(self):
        return self.text
