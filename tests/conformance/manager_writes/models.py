from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, on_delete=models.SET_NULL, null=True, related_name='books')
    tags = models.ManyToManyField('Tag', related_name='books')

    class Meta:
        ordering = ['title']

    def __str__(self):
        return self.title


class Chapter(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    number = models.IntegerField()

    class Meta:
        ordering = ['number']

    def __str__(self):
        return f'{self.book.title} {self.number}'


class Tag(models.Model):
    name = models.CharField(max_length=30, unique=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=30)
    friends = models.ManyToManyField('self')
    follows = models.ManyToManyField('self', symmetrical=False, related_name='followers')

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Club(models.Model):
    name = models.CharField(max_length=30)
    members = models.ManyToManyField(Person, through='Membership', related_name='clubs')

    def __str__(self):
        return self.name


class Membership(models.Model):
    club = models.ForeignKey(Club, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, default='member')

    class Meta:
        ordering = ['id']

    def __str__(self):
        return f'{self.person} in {self.club} as {self.role}'
