# Production image: gunicorn serves the web app; the same image runs Celery.
FROM python:3.11-slim

# LWNKB_CACHE_URL: login limits and API throttles count there, shared by every gunicorn
# worker and container (gunicorn refuses several workers on a per-process cache).
# Compose's redis service by default; point it at your own Redis otherwise.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LWNKB_DATA_DIR=/data \
    LWNKB_STATIC_ROOT=/app/staticfiles \
    LWNKB_CACHE_URL=redis://redis:6379/1

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN LWNKB_DEBUG=true python manage.py collectstatic --no-input \
    && useradd --system --home /app lwnkb \
    && mkdir -p /data && chown lwnkb /data
USER lwnkb
EXPOSE 8000
# lwnkb.gunicorn_conf: forwarded headers follow LWNKB_BEHIND_TLS_PROXY; refuses several
# workers without a shared cache.
CMD ["gunicorn", "-c", "python:lwnkb.gunicorn_conf", "lwnkb.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
