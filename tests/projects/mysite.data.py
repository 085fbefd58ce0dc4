import datetime

tz = datetime.timezone.utc
ada = User.objects.create(username='ada', first_name='Ada', email='ada@example.com',
                          date_joined=datetime.datetime(2024, 1, 2, 9, 30, tzinfo=tz), bio='Engines')
bob = User.objects.create(username='bob', date_joined=datetime.datetime(2024, 3, 4, 23, 15, tzinfo=tz))
q1 = Question.objects.create(question_text="What's new?", author=ada,
                             pub_date=datetime.datetime(2024, 5, 1, 22, 30, tzinfo=tz))
q2 = Question.objects.create(question_text='Tea or coffee?', author=bob,
                             pub_date=datetime.datetime(2024, 6, 30, 23, 45, tzinfo=tz))
q3 = Question.objects.create(question_text='Unsigned', pub_date=datetime.datetime(2023, 12, 31, 23, 0, tzinfo=tz))
for q, texts in [(q1, ['Not much', 'The sky']), (q2, ['Tea', 'Coffee', 'Both'])]:
    for i, t in enumerate(texts):
        q.choice_set.create(choice_text=t, votes=i * 2 + len(t) % 3)
from django.contrib.admin.models import LogEntry, CHANGE, ADDITION
from django.contrib.contenttypes.models import ContentType
qt = ContentType.objects.get_for_model(Question)
LogEntry.objects.create(user=ada, content_type=qt, object_id=str(q1.pk), object_repr=str(q1), action_flag=CHANGE,
                        change_message='[{"changed": {"fields": ["Question text", "Date published"]}}]',
                        action_time=datetime.datetime(2024, 5, 2, 8, 0, tzinfo=tz))
LogEntry.objects.create(user=bob, content_type=qt, object_id=str(q2.pk), object_repr=str(q2), action_flag=ADDITION,
                        change_message='[{"added": {}}]', action_time=datetime.datetime(2024, 7, 1, 8, 0, tzinfo=tz))
