# vendor-sandbox: the four vendors' user APIs on :8080 (see README).
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/vendor-sandbox \
 && /opt/vendor-sandbox/bin/pip install --no-cache-dir hatchling
# the dependencies first, from pyproject.toml alone: a change to the code reuses this layer
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > requirements.txt \
 && /opt/vendor-sandbox/bin/pip install --no-cache-dir -r requirements.txt
COPY README.md ./
COPY src ./src
COPY fixtures ./fixtures
RUN /opt/vendor-sandbox/bin/pip install --no-cache-dir --no-deps --no-build-isolation .

FROM python:3.11-slim
COPY --from=build /opt/vendor-sandbox /opt/vendor-sandbox
RUN useradd --system --no-create-home --shell /usr/sbin/nologin sandbox \
 && install -d -o sandbox -g sandbox /data
USER sandbox
# inside a container the sandbox must listen on every interface to be reachable, which it refuses
# without an admin token unless SANDBOX_INSECURE is on: the published port is the boundary, so publish
# it on 127.0.0.1 (README), or set SANDBOX_ADMIN_TOKEN when others can reach it
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
# follows `serve --port N` as well as SANDBOX_PORT (vendor_sandbox/healthcheck.py)
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-m", "vendor_sandbox.healthcheck"]
ENTRYPOINT ["vendor-sandbox"]
CMD ["serve"]
