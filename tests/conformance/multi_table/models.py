from django.db import models


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return f'{self.name} the place'


class Restaurant(Place):
    serves_hot_dogs = models.BooleanField(default=False)
    serves_pizza = models.BooleanField(default=False)

    def __str__(self):
        return f'{self.name} the restaurant'


class ItalianRestaurant(Restaurant):
    serves_gnocchi = models.BooleanField(default=False)


class Supplier(Place):
    customers = models.ManyToManyField(Place, related_name='provider')


class Waiter(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE)
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Rating(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name='ratings')
    stars = models.IntegerField()


class Parking(models.Model):
    lot = models.OneToOneField(Place, on_delete=models.CASCADE, parent_link=False)
    spaces = models.IntegerField(default=0)


class Tagged(models.Model):
    label = models.CharField(max_length=20)


class Shop(Tagged):
    place_link = models.OneToOneField(Tagged, on_delete=models.CASCADE, parent_link=True, related_name='shop_of')
    open_late = models.BooleanField(default=False)
