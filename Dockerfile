# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/shortener ./cmd/shortener

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/shortener /shortener
ENV LISTEN_ADDR=:8000 DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
USER nonroot:nonroot
ENTRYPOINT ["/shortener"]
CMD ["serve"]
