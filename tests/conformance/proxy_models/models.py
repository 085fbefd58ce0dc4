from django.db import models


class Publisher(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=20)

    def __str__(self):
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=80)
    pages = models.IntegerField(default=100)
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name='books')
    tags = models.ManyToManyField(Tag, blank=True)

    class Meta:
        ordering = ['title']

    def __str__(self):
        return self.title


class LongBook(Book):
    class Meta:
        proxy = True
        ordering = ['-pages']

    def __str__(self):
        return f'{self.title} ({self.pages} pages)'

    def is_long(self):
        return self.pages > 300


class SortedBook(Book):
    class Meta:
        proxy = True

    def shout(self):
        return self.title.upper()


class Review(models.Model):
    book = models.ForeignKey(LongBook, on_delete=models.CASCADE)
    stars = models.IntegerField()
