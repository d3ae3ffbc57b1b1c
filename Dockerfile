# The production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=plp.settings

# xmlsec1: pysaml2 verifies SAML signatures with it (single sign-on).
RUN apt-get update \
 && apt-get install -y --no-install-recommends xmlsec1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The whole project, minus what .dockerignore leaves out: a new app is in the image without editing this.
COPY . .
RUN pip install --constraint requirements/lock.txt . \
 && PLP_ENV=development python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 plp
USER plp
EXPOSE 8000
CMD ["gunicorn", "plp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
