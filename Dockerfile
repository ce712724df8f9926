# The graphsvc web service. With docker-compose.yml it runs against Neo4j;
# on its own it uses the embedded store in /data. Either way its users,
# import reports and saved analysis are kept in /data (a volume).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    GRAPHSVC_STORE=/data GRAPHSVC_ACCOUNTS=/data/accounts.sqlite \
    GRAPHSVC_HOST=0.0.0.0 GRAPHSVC_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphsvc ./graphsvc
COPY importers ./importers
COPY visualisations ./visualisations
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 graphsvc \
    && mkdir -p /data && chown graphsvc /data && chmod 700 /data

USER graphsvc
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=10s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=5)"]
CMD ["graphsvc", "serve"]
