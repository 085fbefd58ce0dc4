from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=50, db_column='full_name')
    friends = models.ManyToManyField('self', blank=True)
    followers = models.ManyToManyField('self', symmetrical=False, related_name='following', blank=True)

    class Meta:
        db_table = 'people'

    def __str__(self):
        return self.name


class Country(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=60, unique=True)


class City(models.Model):
    name = models.CharField(max_length=60, db_index=True)
    country = models.ForeignKey(Country, on_delete=models.CASCADE, to_field='code')
    mayor = models.OneToOneField(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name='city_run')
    population = models.PositiveIntegerField(default=0)


class Flight(models.Model):
    origin = models.ForeignKey(City, on_delete=models.PROTECT, related_name='departures')
    destination = models.ForeignKey(City, on_delete=models.PROTECT, related_name='arrivals')
    number = models.CharField(max_length=10)
    pilot = models.ForeignKey('Person', on_delete=models.SET_NULL, null=True, db_column='captain')
    passengers = models.ManyToManyField(Person, through='Ticket', related_name='flights')

    class Meta:
        unique_together = [('origin', 'destination', 'number')]


class Ticket(models.Model):
    flight = models.ForeignKey(Flight, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    seat = models.CharField(max_length=4)

    class Meta:
        unique_together = ('flight', 'seat')


class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ['-created']


class Note(TimeStamped):
    body = models.TextField()
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    ratio = models.FloatField(default=0.5)
    flag = models.BooleanField(default=False)
    slug = models.SlugField()
    email = models.EmailField(blank=True)
    data = models.JSONField(default=dict)
    big = models.BigIntegerField(default=0)
    small = models.SmallIntegerField(default=0)
    when = models.DateField(null=True)
    at = models.TimeField(null=True)
    took = models.DurationField(null=True)
    uid = models.UUIDField(null=True)
    ip = models.GenericIPAddressField(null=True)
    url = models.URLField(blank=True)
    pos_big = models.PositiveBigIntegerField(default=0)
    file = models.FileField(blank=True)
    blob = models.BinaryField(null=True)
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name='notes')


class Profile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True)
    bio = models.TextField(blank=True)


class Employee(models.Model):
    manager = models.ForeignKey('self', on_delete=models.SET_NULL, null=True, related_name='reports')
    name = models.CharField(max_length=40)
    city = models.ForeignKey('introspect_awkward.City', on_delete=models.CASCADE)
