# Parallax dashboard: docker build -t parallax . && docker run -p 8501:8501 -v parallax-cache:/root/.cache parallax
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
# requirements.txt names PyTorch's CPU index and pins torch==...+cpu: PyPI's default Linux wheel carries CUDA
# (several GB). The same file serves Streamlit Community Cloud, so both installs stay one.
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e .
ENV HF_HUB_OFFLINE=1 PARALLAX_STORE=/root/.cache/parallax/store.sqlite3
# The hosted dashboard fetches no URL for its visitors: also the default, kept explicit here.
# The model and backend are the image's: set PARALLAX_MODEL / PARALLAX_BACKEND at `docker run -e`, never by a link.
ENV PARALLAX_URL_FETCH=off
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health')"
CMD ["streamlit", "run", "dashboard.py", "--server.port=8501", "--server.address=0.0.0.0"]
