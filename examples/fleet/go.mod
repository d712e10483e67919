module github.com/colony-go/colony/examples/fleet

go 1.23

require (
	github.com/colony-go/colony v0.0.0
	github.com/colony-go/colony/redisstore v0.0.0
	github.com/redis/go-redis/v9 v9.18.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/goccy/go-json v0.12.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	github.com/sony/gobreaker/v2 v2.4.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/sync v0.10.0 // indirect
)

replace (
	github.com/colony-go/colony => ../../
	github.com/colony-go/colony/redisstore => ../../redisstore
)
