from django.db import models
from django.contrib.auth.models import User
from django.utils import timezone


class Category(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Item(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name='items')
    name = models.CharField(max_length=30)
    price = models.DecimalField(max_digits=7, decimal_places=2, default='0.00')
    stock = models.IntegerField(default=5)
    active = models.BooleanField(default=True)
    released = models.DateField(null=True)
    weight = models.FloatField(default=1.5)
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name='profile')
    bio = models.CharField(max_length=50, blank=True)

    def __str__(self):
        return f'profile of {self.user.username}'
