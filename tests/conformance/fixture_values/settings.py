USE_TZ = True
TIME_ZONE = 'Europe/Paris'
