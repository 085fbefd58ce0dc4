from django.db import models

PREFIX = 'item'


class Named(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        abstract = True
        ordering = ['name']

    def __str__(self):
        if self.name:
            return f'{PREFIX}:{self.name}'
        return f'{PREFIX}:?'


class Priced(models.Model):
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default='EUR')

    class Meta:
        abstract = True
        ordering = ['-price']

    def total(self, n):
        return self.price * n


class Tagged(models.Model):
    tag = models.SlugField(blank=True)

    class Meta:
        abstract = True


class Product(Named, Priced):
    sku = models.CharField(max_length=10, unique=True)


class Service(Priced, Named):
    hours = models.IntegerField(default=1)

    class Meta(Priced.Meta):
        verbose_name = 'paid service'


class Bundle(Tagged, Named):
    products = models.ManyToManyField(Product, related_name='bundles')
    name = models.CharField(max_length=80, unique=True)

    def __repr__(self):
        return f'Bundle({self.name!r})'
