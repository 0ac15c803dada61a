FROM alpine:3.20
RUN su app -c "echo \"hi\" && \
    apk add --no-cache curl && echo \$HOME"
