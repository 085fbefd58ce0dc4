from django.db import models


class Shop(models.Model):
    name = models.CharField(max_length=30)
    city = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Product(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name='products')
    name = models.CharField(max_length=30)
    price = models.DecimalField(max_digits=7, decimal_places=2)
    qty = models.IntegerField(default=0)
    weight = models.FloatField(null=True)
    added = models.DateField()
    labels = models.ManyToManyField('Label', related_name='products')

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Label(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name='reviews')
    stars = models.IntegerField()

    def __str__(self):
        return f'{self.product.name} {self.stars}'
