# One image for the web, worker and beat services of docker-compose.yml (DESIGN §4): WeasyPrint's Debian
# packages and the CJK font, the pinned dependencies, the project, its collected static files and compiled
# catalogue. Nothing is installed when a container starts.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=daye_relief.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The dependencies first, in their own layer: it is rebuilt only when the pins change.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt .
COPY . .

# collectstatic reads the production settings, which insist on a real secret and a database URL: throwaway
# values for this one command (nothing connects); the running containers get theirs from .env.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput -v0

RUN useradd --system --home-dir /app daye && mkdir -p /app/media && chown daye /app/media
USER daye
EXPOSE 8000
CMD ["gunicorn", "daye_relief.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
