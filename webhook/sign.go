package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/shortener-dev/shortener"
)

// Headers of a Standard Webhooks request (https://www.standardwebhooks.com).
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Sign returns the webhook-signature of a message: "v1," and the standard
// base64 of the HMAC-SHA256, keyed with the secret's bytes, of
// "id.timestamp.body" (timestamp in Unix seconds).
func Sign(secret, id string, timestamp time.Time, body []byte) (string, error) {
	key, err := shortener.WebhookSecretKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(timestamp.Unix(), 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// setSignature sets the three Standard Webhooks headers of a request.
func setSignature(h http.Header, secret, id string, timestamp time.Time, body []byte) error {
	sig, err := Sign(secret, id, timestamp, body)
	if err != nil {
		return err
	}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(timestamp.Unix(), 10))
	h.Set(HeaderSignature, sig)
	return nil
}
