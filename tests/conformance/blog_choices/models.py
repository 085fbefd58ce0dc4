from django.db import models
from django.contrib.auth.models import User


class Blog(models.Model):
    name = models.CharField(max_length=50, unique=True)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name='blogs')

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = 'D', 'Draft'
        PUBLISHED = 'P', 'Published'

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name='posts')
    title = models.CharField(max_length=100)
    status = models.CharField(max_length=1, choices=Status.choices, default=Status.DRAFT)
    views = models.PositiveIntegerField(default=0)
    likes = models.IntegerField(default=0)
    created = models.DateTimeField()
    parent = models.ForeignKey('self', null=True, blank=True, on_delete=models.SET_NULL, related_name='replies')

    class Meta:
        ordering = ['-created']
        get_latest_by = 'created'

    def __str__(self):
        return f'{self.blog.name}: {self.title}'


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name='comments')
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name='comments')
    body = models.TextField()
    approved = models.BooleanField(default=False)

    def __str__(self):
        return self.body[:20]
