from django.db import models


class Author(models.Model):
    name = models.CharField('full name', max_length=50)

    class Meta:
        ordering = ['name']
        verbose_name_plural = 'writers'


class Book(models.Model):
    title = models.CharField(max_length=80, unique=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name='books')
    pages = models.IntegerField(null=True, blank=True)
    tags = models.ManyToManyField('Tag', blank=True)

    class Meta:
        db_table = 'library_book'


class Tag(models.Model):
    label = models.SlugField()
