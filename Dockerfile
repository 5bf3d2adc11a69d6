# syntax=docker/dockerfile:1
# Build a static binary, then ship it alone in an empty image as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/shortener ./cmd/shortener \
 && mkdir -p /out/data && chown 65532:65532 /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/shortener /shortener
COPY --from=build --chown=65532:65532 /out/data /data
ENV LISTEN_ADDR=:8000 DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
USER 65532:65532
ENTRYPOINT ["/shortener"]
CMD ["serve"]
