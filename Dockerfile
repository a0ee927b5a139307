# Production image: gunicorn serves the web app; the same image runs Celery.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LWNKB_DATA_DIR=/data \
    LWNKB_STATIC_ROOT=/app/staticfiles

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN LWNKB_DEBUG=true python manage.py collectstatic --no-input \
    && useradd --system --home /app lwnkb \
    && mkdir -p /data && chown lwnkb /data
USER lwnkb
EXPOSE 8000
CMD ["gunicorn", "lwnkb.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
