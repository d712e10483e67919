// Package redisstore shares the state of a fleet of colony clients and webhook receivers through Redis: a
// colony.TokenStore that is also a colony.TokenLocker (replicas starting together make one token fetch), a
// colony.WebhookDedupStore with owner-checked claims (each delivery handled once across replicas), and a
// colony.RateLimiter (writes queue under the per-agent limits instead of collecting 429s).
//
// It is a separate module so that the colony module does not depend on Redis. It uses
// github.com/redis/go-redis/v9 v9.18.0, the newest release whose go.mod asks for a Go version the colony module
// supports (go 1.21; v9.19 to v9.22 require go 1.24 and v9.23 go 1.26, while colony supports go 1.23).
//
// Every key lives under a prefix (DefaultPrefix when empty), so several agents or applications can share one
// Redis. Each operation touches one key, atomically (SET NX PX or a Lua script), so the stores also work on Redis
// Cluster. Tokens are stored in clear: protect the Redis server as you would the API key.
package redisstore

// DefaultPrefix is the key prefix used when a constructor is given an empty one.
const DefaultPrefix = "colony:"

func prefixOr(p string) string {
	if p == "" {
		return DefaultPrefix
	}
	return p
}
