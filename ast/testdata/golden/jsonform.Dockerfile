FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
RUN ["pip", "install", "--no-cache-dir", "flask"]
CMD ["python", "-m", "flask", "run"]
ENTRYPOINT exec gunicorn --bind 0.0.0.0:8000 app:app
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/ || exit 1
