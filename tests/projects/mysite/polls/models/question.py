import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..managers import QuestionQuerySet, RecentManager


class Question(models.Model):
    question_text = models.CharField(max_length=200)
    pub_date = models.DateTimeField('date published')
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name='questions', null=True
    )

    objects = QuestionQuerySet.as_manager()
    recent = RecentManager()

    class Meta:
        ordering = ['pub_date']

    def __str__(self):
        return self.question_text

    def was_published_recently(self):
        now = timezone.now()
        return now - datetime.timedelta(days=1) <= self.pub_date <= now
