from django.db import models


class Owner(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Pet(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name='pets')
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class Toy(models.Model):
    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name='toys')
    name = models.CharField(max_length=30)
    tags = models.ManyToManyField('Tag', related_name='toys')

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Vet(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Visit(models.Model):
    pet = models.ForeignKey(Pet, on_delete=models.PROTECT, related_name='visits')
    vet = models.ForeignKey(Vet, on_delete=models.SET_NULL, null=True, related_name='visits')
    note = models.CharField(max_length=50)

    def __str__(self):
        return self.note


class Licence(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.RESTRICT, related_name='licences')
    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name='licences')
    code = models.CharField(max_length=10)

    def __str__(self):
        return self.code


class Clinic(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Booking(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.SET_DEFAULT, default=1, related_name='bookings')
    backup = models.ForeignKey(Clinic, on_delete=models.SET(2), null=True, related_name='+')
    label = models.CharField(max_length=30)

    def __str__(self):
        return self.label


class Log(models.Model):
    vet = models.ForeignKey(Vet, on_delete=models.DO_NOTHING, null=True, related_name='logs')
    text = models.CharField(max_length=30)

    def __str__(self):
        return self.text
