ARG REGISTRY=registry.example.com:5000
ARG BASE=team/builder
ARG VERSION
FROM ${REGISTRY}/${BASE}:${VERSION:-1.4} AS Builder
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app
FROM builder AS test
RUN go test ./...
FROM $UNSET_IMAGE AS other
FROM scratch
COPY --from=builder /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
