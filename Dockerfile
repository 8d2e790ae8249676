# Engineering KPIs — Docker container action.
#
# Build stage: modules are downloaded in their own layer so they are cached
# across source changes; the binary is static (CGO disabled) so it runs on
# distroless.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /engineering-kpis .

# Final stage: no shell, no package manager. It runs as the image's default
# root user on purpose: GitHub's docs say a Docker action must not set USER,
# or it cannot write the workspace, GITHUB_OUTPUT or GITHUB_STEP_SUMMARY.
# No WORKDIR either: the runner mounts the workspace and sets it.
FROM gcr.io/distroless/static-debian12
COPY --from=build /engineering-kpis /engineering-kpis
ENTRYPOINT ["/engineering-kpis"]
