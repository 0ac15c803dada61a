# syntax=docker/dockerfile:1

# Builds dockmine from this checkout into an image that holds only the
# static binary. Run it on a project with:
#   docker run --rm -v "$PWD:/work" dockmine
# which lints every Dockerfile under the mounted directory.

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/dockmine ./cmd/dockmine

FROM scratch
COPY --from=build /out/dockmine /usr/local/bin/dockmine
WORKDIR /work
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/dockmine"]
CMD ["lint", "."]
