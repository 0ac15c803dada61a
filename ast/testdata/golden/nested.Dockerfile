FROM debian:12
RUN sh -c 'apt-get update && apt-get install -y git' \
 && bash -exc "echo \"quoted\" && make -j4"
RUN su app -c "npm ci --omit=dev" || true
RUN if [ -f /etc/alpine-release ]; then apk add --no-cache bash; else apt-get install -y bash; fi
RUN curl -fsSL https://example.org/install.sh | sh -s -- --yes
