// Command redisclients weighs the two Redis clients for the link cache's
// read on the redirect path (issue 19, BENCHMARKS.md "The L2 read"):
//
//   - GETs from 64 concurrent callers over 100,000 keys with go-redis (a
//     connection per caller from its pool), with rueidis (auto-pipelining:
//     the callers' commands share writes on one connection), and with
//     rueidis's client-side caching (RESP3 tracking) bounded like an L1;
//   - how soon another client's write reaches a reader: rueidis's
//     invalidation of its cached key against a PUBLISH reaching a go-redis
//     subscriber (the service's L1 invalidation).
//
// It prints operations per second and the CPU time of this process per
// operation. Its keys live under -prefix and are deleted at the end.
//
//	go run ./bench/redisclients -redis redis://127.0.0.1:6379/0
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"
)

const keys = 100_000

func main() {
	url := flag.String("redis", "redis://127.0.0.1:6379/0", "Redis URL (a single server)")
	prefix := flag.String("prefix", "bench:redisclients:", "key prefix")
	duration := flag.Duration("d", 8*time.Second, "duration of each GET run")
	workers := flag.Int("c", 64, "concurrent callers")
	rounds := flag.Int("rounds", 2, "rounds of the three GET runs")
	flag.Parse()
	ctx := context.Background()

	opts, err := goredis.ParseURL(*url)
	if err != nil {
		log.Fatal(err)
	}
	opts.PoolSize = *workers
	gr := goredis.NewClient(opts)
	defer gr.Close()
	ropt, err := rueidis.ParseURL(*url)
	if err != nil {
		log.Fatal(err)
	}
	ropt.ForceSingleClient = true
	cached := ropt
	cached.CacheSizeEachConn = 1 << 20 // 1 MiB: about 10,000 of these entries, like the benchmark's L1
	pipelined := ropt
	pipelined.DisableCache = true
	ru, err := rueidis.NewClient(cached)
	if err != nil {
		log.Fatal(err)
	}
	defer ru.Close()
	rp, err := rueidis.NewClient(pipelined)
	if err != nil {
		log.Fatal(err)
	}
	defer rp.Close()

	key := func(i int) string { return *prefix + strconv.Itoa(i%keys) }
	value := string(make([]byte, 120)) // about an encoded link
	for i := 0; i < keys; i += 1000 {
		if _, err := gr.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for j := i; j < i+1000; j++ {
				p.Set(ctx, key(j), value, time.Hour)
			}
			return nil
		}); err != nil {
			log.Fatal(err)
		}
	}
	defer func() {
		var batch []string
		for i := range keys {
			if batch = append(batch, key(i)); len(batch) == 1000 {
				gr.Del(ctx, batch...)
				batch = batch[:0]
			}
		}
		gr.Del(ctx, *prefix+"inv")
	}()

	for range *rounds {
		run("go-redis GET", *workers, *duration, key, func(k string) error { return gr.Get(ctx, k).Err() })
		run("rueidis GET (pipelined)", *workers, *duration, key, func(k string) error {
			return rp.Do(ctx, rp.B().Get().Key(k).Build()).Error()
		})
		run("rueidis GET (cached, 1 MiB)", *workers, *duration, key, func(k string) error {
			return ru.DoCache(ctx, ru.B().Get().Key(k).Cache(), time.Minute).Error()
		})
	}

	// A second client writes a key the reader holds in its client-side
	// cache: how long until the reader sees the new value?
	var tracking []time.Duration
	k := *prefix + "inv"
	for i := range 200 {
		rp.Do(ctx, rp.B().Set().Key(k).Value("a"+strconv.Itoa(i)).Build())
		ru.DoCache(ctx, ru.B().Get().Key(k).Cache(), time.Minute)
		want := "b" + strconv.Itoa(i)
		start := time.Now()
		rp.Do(ctx, rp.B().Set().Key(k).Value(want).Build())
		for {
			if v, _ := ru.DoCache(ctx, ru.B().Get().Key(k).Cache(), time.Minute).ToString(); v == want {
				break
			}
		}
		tracking = append(tracking, time.Since(start))
	}
	sub := gr.Subscribe(ctx, *prefix+"chan")
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		log.Fatal(err)
	}
	ch := sub.Channel()
	var pubsub []time.Duration
	for i := range 200 {
		start := time.Now()
		gr.Publish(ctx, *prefix+"chan", strconv.Itoa(i))
		<-ch
		pubsub = append(pubsub, time.Since(start))
	}
	fmt.Println("invalidation, rueidis tracking (SET -> the cached GET sees it):", percentiles(tracking))
	fmt.Println("invalidation, PUBLISH -> a go-redis subscriber receives it:    ", percentiles(pubsub))
}

func run(name string, workers int, d time.Duration, key func(int) string, get func(string) error) {
	var n atomic.Int64
	stop := time.Now().Add(d)
	cpu0, start := cpuTime(), time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * 1000; time.Now().Before(stop); i++ {
				if err := get(key(i)); err != nil {
					log.Fatal(err)
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	fmt.Printf("%-30s %9.0f GET/s  %6.2f µs CPU per GET (this process)\n",
		name, float64(n.Load())/elapsed.Seconds(), float64(cpu.Nanoseconds())/1e3/float64(n.Load()))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func percentiles(d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	return fmt.Sprintf("p50 %v, p99 %v, max %v", s[len(s)/2], s[len(s)*99/100], s[len(s)-1])
}
