from django.db import models


class QuestionQuerySet(models.QuerySet):
    def signed(self):
        return self.exclude(author=None)

    def by(self, username):
        return self.filter(author__username=username)


class RecentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(pub_date__year__gte=2024)
