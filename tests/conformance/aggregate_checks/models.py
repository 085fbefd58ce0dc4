"""The bookstore: every kind of relation a Django user learns."""
from django.contrib.auth.models import User
from django.db import models


class Publisher(models.Model):
    name = models.CharField(max_length=100, unique=True)
    city = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=100)
    born = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.SlugField(max_length=30, unique=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name='books')
    authors = models.ManyToManyField(Author, related_name='books')
    tags = models.ManyToManyField(Tag, through='Tagging', related_name='books')
    published = models.DateField()
    pages = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ['title']
        get_latest_by = 'published'

    def __str__(self):
        return self.title


class Tagging(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    added = models.DateField()

    class Meta:
        unique_together = [('book', 'tag')]

    def __str__(self):
        return f'{self.book} #{self.tag}'


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name='profile')
    favourite_author = models.ForeignKey(Author, on_delete=models.SET_NULL, null=True, blank=True, related_name='fans')
    bio = models.TextField(blank=True)

    def __str__(self):
        return f'Profile of {self.user.username}'


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name='reviews')
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name='reviews')
    stars = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ['-stars', 'id']

    def __str__(self):
        return f'{self.stars}* {self.book} by {self.user.username}'
