# Importing the Celery app here makes ``@shared_task`` bind to it wherever Django starts.
from lwnkb.celery import app as celery_app

__all__ = ["celery_app"]
