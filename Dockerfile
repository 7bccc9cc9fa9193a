# factlint service image: `docker build -t factlint .`, then
# `docker run -p 8000:8000 -v factlint-data:/data factlint`.
#
# base:    Python and factlint's dependencies without torch and sentence-transformers (the default
#          backend, onnx, never imports them). Dependency layers come before the code, so a change
#          to the code reinstalls nothing.
# builder: base plus the CPU build of torch and sentence-transformers, to make the one-time ONNX
#          export of the embedding model (the only step that needs torch).
# runtime: base, the export and the code. The torch backend (FACTLINT_MODEL_BACKEND=torch) and the
#          NLI cross-encoder need torch: build `--target builder` for them.

FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    FACTLINT_DATA_DIR=/data FACTLINT_SERVER_HOST=0.0.0.0 FACTLINT_SERVER_PORT=8000 \
    FACTLINT_MODEL_BACKEND=onnx FACTLINT_MODEL_ONNX_DIR=/opt/factlint/onnx
WORKDIR /app
COPY pyproject.toml config/docker_requirements.py ./
RUN python docker_requirements.py runtime > /tmp/runtime.txt && pip install -r /tmp/runtime.txt \
    && python docker_requirements.py runtime-no-deps > /tmp/no-deps.txt && pip install --no-deps -r /tmp/no-deps.txt \
    && rm /tmp/runtime.txt /tmp/no-deps.txt

FROM base AS builder
ARG TORCH_VERSION=2.13.0
RUN pip install "torch==${TORCH_VERSION}" --index-url https://download.pytorch.org/whl/cpu
RUN python docker_requirements.py build > /tmp/build.txt && pip install -r /tmp/build.txt
COPY README.md ./
COPY service ./service
COPY config ./config
COPY docs/rules ./docs/rules
# the export goes to FACTLINT_MODEL_ONNX_DIR, named after the packaged model's files, which the
# runtime shares with this stage (both are on base's layer)
RUN pip install --no-deps -e . \
    && python -c "from factlint.config import load_settings; from factlint.embeddings import prepare_model; print(prepare_model(load_settings().model))"

FROM base
RUN useradd --create-home --uid 10001 factlint && mkdir -p /data && chown factlint /data
COPY --from=builder /opt/factlint/onnx /opt/factlint/onnx
COPY README.md ./
COPY service ./service
COPY config ./config
COPY seeds ./seeds
COPY docs/rules ./docs/rules
RUN pip install --no-deps -e . \
    && python -c "import importlib.util as u, sys; sys.exit(bool(u.find_spec('torch')))" \
    && python -c "import factlint.wsgi"

USER factlint
# the SQLite store and the FAISS index; the seed articles are indexed into it when it is empty
# (FACTLINT_STORE_SEED_DIR="" for none)
VOLUME ["/data"]
EXPOSE 8000
# on the port the server binds: FACTLINT_BIND's, else FACTLINT_SERVER_PORT
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, sys, urllib.request; bind = os.environ.get('FACTLINT_BIND') or ':' + os.environ.get('FACTLINT_SERVER_PORT', '8000'); sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/healthz' % bind.rsplit(':', 1)[1], timeout=4).status == 200 else 1)"
# gunicorn is the entry point; its on_starting hook indexes the seeds into /data when it is empty.
ENTRYPOINT ["gunicorn", "-c", "config/gunicorn.conf.py", "factlint.wsgi:app"]
