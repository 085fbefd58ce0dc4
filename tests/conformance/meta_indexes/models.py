from django.db import models


class Event(models.Model):
    title = models.CharField(max_length=50)
    venue = models.CharField(max_length=50)
    starts = models.DateField()
    seats = models.IntegerField(default=0)

    class Meta:
        ordering = ['starts']
        indexes = [
            models.Index(fields=['venue', '-starts']),
            models.Index(fields=['title'], name='event_title_idx'),
            models.Index(fields=['seats']),
        ]
        constraints = [
            models.UniqueConstraint(fields=['venue', 'starts'], name='one_event_per_venue_day'),
        ]

    def __str__(self):
        return self.title


class Ticket(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    row = models.CharField(max_length=2)
    number = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=['event', 'row', 'number'], name='seat_once')]
