# One image for the API, the solve-job workers and the one-shot migration.
FROM python:3.11-slim
# The code runs from /srv (PYTHONPATH), next to its templates and seed_data/ (the outlines
# the boundary checks and posters read); the charts, posters and handouts need a CJK font.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONPATH=/srv
WORKDIR /srv
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
COPY pyproject.toml README.md ./
COPY app app
COPY routers routers
COPY solver solver
RUN uv pip install --system --no-cache .
COPY alembic alembic
COPY seed_data seed_data
RUN useradd --system --home /srv twinstars
USER twinstars
EXPOSE 8000
CMD ["twinstars", "serve", "--host", "0.0.0.0", "--port", "8000"]
