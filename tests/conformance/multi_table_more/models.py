from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=50)
    born = models.IntegerField(default=1990)
    friends = models.ManyToManyField('self', blank=True)

    class Meta:
        ordering = ['-born', 'name']
        get_latest_by = 'born'

    def __str__(self):
        return self.name

    def greet(self):
        return f'Hi, {self.name}'


class Student(Person):
    school = models.CharField(max_length=50)
    mentor = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name='mentees')

    class Meta:
        ordering = ['school']


class Employee(Person):
    salary = models.DecimalField(max_digits=8, decimal_places=2, default=0)


class Manager(Employee):
    reports = models.ManyToManyField(Employee, related_name='managers', blank=True)
