# vendor-sandbox: the four vendors' user APIs on :8080 (see README).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY fixtures ./fixtures
RUN python -m venv /opt/vendor-sandbox \
 && /opt/vendor-sandbox/bin/pip install --no-cache-dir .

FROM python:3.11-slim
COPY --from=build /opt/vendor-sandbox /opt/vendor-sandbox
RUN useradd --system --no-create-home --shell /usr/sbin/nologin sandbox \
 && install -d -o sandbox -g sandbox /data
USER sandbox
# inside a container the sandbox must listen on every interface to be reachable; the
# published port is the boundary (set SANDBOX_ADMIN_TOKEN to guard /_sandbox/ as well)
ENV PATH=/opt/vendor-sandbox/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8080 \
    SANDBOX_TLS_PORT=8443 \
    SANDBOX_DATA_DIR=/data \
    SANDBOX_INSECURE=true
# 8080: HTTP and the proxy; 8443: HTTPS with the local CA. /data keeps the CA, so a client
# that trusts it once keeps trusting every later container on the same volume
EXPOSE 8080 8443
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_sandbox/health' % os.environ['SANDBOX_PORT'], timeout=2)"]
ENTRYPOINT ["vendor-sandbox"]
CMD ["serve"]
