from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=30)
    friends = models.ManyToManyField('self', blank=True)
    follows = models.ManyToManyField('self', symmetrical=False, related_name='followers', blank=True)
    hidden = models.ManyToManyField('self', symmetrical=False, related_name='+', blank=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name
