# The production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=plp.settings

WORKDIR /app
COPY pyproject.toml README.md ./
COPY plp plp
COPY accounts accounts
COPY schools schools
COPY learners learners
COPY playlists playlists
COPY mastery mastery
COPY mentoring mentoring
COPY templates templates
COPY static static
COPY manage.py ./
RUN pip install . \
 && PLP_ENV=development python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 plp
USER plp
EXPOSE 8000
CMD ["gunicorn", "plp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
