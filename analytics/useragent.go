package analytics

import (
	"strings"

	"github.com/mileusna/useragent"
	"github.com/shortener-dev/shortener"
)

// agent is what a click's user agent says about the client.
type agent = shortener.Agent

// botMarkers are matched case-insensitively as substrings (all lower case
// here). They cover crawlers and link-preview fetchers the parser does not
// flag itself; a preview fetch is not a person following the link.
var botMarkers = [...]string{
	"googlebot", "bingbot", "slurp", "duckduckbot", "baiduspider",
	"yandexbot", "ahrefsbot", "semrushbot", "mj12bot",
	"facebookexternalhit", "facebot", "twitterbot", "linkedinbot",
	"slackbot", "slack-imgproxy", "discordbot", "telegrambot", "whatsapp",
	"applebot", "skypeuripreview", "pinterestbot", "redditbot", "embedly",
	"iframely", "vkshare", "w3c_validator", "headlesschrome", "phantomjs",
	"bot/", "crawler", "spider", "preview",
}

// botLookalikes are names of real devices that contain "bot". A match
// consumes its text, so a CUBOT phone does not trip the generic rules.
var botLookalikes = [...]string{"cubot"}

// agentClassifier classifies user agents. It is read-only after
// newAgentClassifier, so it is safe for concurrent use.
type agentClassifier struct {
	// byFirst indexes the markers and lookalikes by their first byte in
	// either case: one pass over the user agent with no lower-case copy
	// costs a fraction of a strings.Contains per marker.
	byFirst [256][]marker
}

type marker struct {
	text      string // lower case
	lookalike bool
}

func newAgentClassifier() *agentClassifier {
	c := &agentClassifier{}
	add := func(m marker) {
		lower, upper := m.text[0], m.text[0]
		if 'a' <= lower && lower <= 'z' {
			upper = lower - 'a' + 'A'
		}
		c.byFirst[lower] = append(c.byFirst[lower], m)
		if upper != lower {
			c.byFirst[upper] = append(c.byFirst[upper], m)
		}
	}
	// Lookalikes first, so they win over a marker at the same position.
	for _, text := range botLookalikes {
		add(marker{text: text, lookalike: true})
	}
	for _, text := range botMarkers {
		add(marker{text: text})
	}
	return c
}

// classify tells what ua says about the client. An empty user agent is a
// bot: browsers always send one, scripts that hide it are not visitors.
func (c *agentClassifier) classify(ua string) agent {
	if strings.TrimSpace(ua) == "" {
		return agent{Browser: shortener.LabelUnknown, OS: shortener.LabelUnknown, Device: shortener.DeviceBot, IsBot: true}
	}
	parsed := useragent.Parse(ua)
	a := agent{
		Browser: browserLabel(ua, parsed.Name),
		OS:      osLabel(ua, parsed.OS),
	}
	a.IsBot = c.isBot(ua, parsed)
	a.Device = deviceClass(ua, parsed, a)
	return a
}

// isBot combines the parser's verdict with the marker list.
func (c *agentClassifier) isBot(ua string, parsed useragent.UserAgent) bool {
	matched, lookalike := c.scan(ua)
	switch {
	case matched:
		return true
	case lookalike:
		// The parser calls anything whose name token contains "bot" a bot,
		// and on some Android user agents that token is the phone model.
		// Keep only its URL rule: crawlers link their documentation.
		return parsed.URL != ""
	}
	return parsed.Bot
}

// scan reports whether ua contains a bot marker, and whether it contains a
// lookalike.
func (c *agentClassifier) scan(ua string) (matched, lookalike bool) {
	for i := 0; i < len(ua); i++ {
		for _, m := range c.byFirst[ua[i]] {
			if len(ua)-i < len(m.text) || !hasPrefixFold(ua[i:], m.text) {
				continue
			}
			if !m.lookalike {
				return true, lookalike
			}
			lookalike = true
			i += len(m.text) - 1
			break
		}
	}
	return false, lookalike
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring the case of s.
func hasPrefixFold(s, prefix string) bool {
	for j := 0; j < len(prefix); j++ {
		b := s[j]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if b != prefix[j] {
			return false
		}
	}
	return true
}

// browserLabel maps the parser's browser name to the labels the summary
// shows, so that "Mobile Safari" and "Safari" count as one browser and rare
// names do not crowd the top list.
func browserLabel(ua, name string) string {
	switch name {
	case useragent.Chrome:
		// Brave usually hides behind Chrome's user agent; when it does say
		// so, say it too.
		if strings.Contains(ua, "Brave") {
			return "Brave"
		}
		return "Chrome"
	case useragent.Firefox:
		return "Firefox"
	case useragent.Safari, useragent.MobileSafari:
		return "Safari"
	case useragent.Edge:
		return "Edge"
	case useragent.Opera, useragent.OperaMini, useragent.OperaTouch:
		return "Opera"
	case useragent.SamsungBrowser:
		return "Samsung Internet"
	case useragent.InternetExplorer:
		return "Internet Explorer"
	}
	// The parser names a Chrome-like browser after its first extra token,
	// which may carry a distribution ("Ubuntu Chromium").
	switch {
	case strings.Contains(name, "Chromium"):
		return "Chromium"
	case strings.Contains(name, "Brave"):
		return "Brave"
	case strings.Contains(ua, "Trident/"):
		// IE 11 dropped "MSIE" from its user agent; the parser misses it.
		return "Internet Explorer"
	}
	return shortener.LabelUnknown
}

// osLabel maps the parser's OS name to the summary's labels. The parser
// already reports iPadOS as iOS, but not an iPod touch's iOS.
func osLabel(ua, os string) string {
	switch os {
	case useragent.Windows, useragent.MacOS, useragent.IOS, useragent.Android,
		useragent.Linux, useragent.ChromeOS:
		return os
	case "":
		if strings.Contains(ua, "(iPod") {
			return useragent.IOS
		}
	}
	return shortener.LabelUnknown
}

// deviceClass decides the device of a click. Anything the parser cannot
// place (curl, HTTP libraries, unknown OS) is "other", not "desktop".
func deviceClass(ua string, parsed useragent.UserAgent, a agent) string {
	switch {
	case a.IsBot:
		return shortener.DeviceBot
	case parsed.Tablet:
		return shortener.DeviceTablet
	case parsed.OS == useragent.Android && a.Browser != shortener.LabelUnknown && !strings.Contains(ua, "Mobile"):
		// Android browsers mark phones with "Mobile"; a browser on Android
		// without it is on a tablet (Google's own convention). The parser
		// calls every Android device a phone.
		return shortener.DeviceTablet
	case parsed.Mobile:
		return shortener.DeviceMobile
	case parsed.Desktop:
		return shortener.DeviceDesktop
	}
	return shortener.DeviceOther
}
