// Go figures for the csp4j workloads that ../shared/anchors/go/chan_test.go does not have:
// concurrent sender/receiver pairs, the ring at several sizes, and fork+join of 10,000
// goroutines; and the memory of a blocked goroutine. The shapes match the JMH benchmarks
// PairsBenchmark, RingBenchmark and ForkJoinBenchmark. Run it beside the anchors:
//
//	cd benchmarks/go && GOMAXPROCS=$(nproc) go test -bench . -benchtime=1s -count=3 -v
package extra

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// pairs: n pairs, each a sender and a receiver goroutine on its own channel of capacity 16,
// move b.N elements in all (an equal share per pair); ns/op is per element.
func pairs(b *testing.B, n int) {
	per := b.N / n
	if per == 0 {
		per = 1
	}
	var wg sync.WaitGroup
	counts := make([]int, n)
	for p := 0; p < n; p++ {
		ch := make(chan int, 16)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				ch <- i
			}
		}()
		go func(p int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				<-ch
				counts[p]++
			}
		}(p)
	}
	wg.Wait()
	for p, c := range counts {
		if c != per {
			b.Fatalf("pair %d received %d of %d", p, c, per)
		}
	}
}

func BenchmarkPairs1(b *testing.B)     { pairs(b, 1) }
func BenchmarkPairs10(b *testing.B)    { pairs(b, 10) }
func BenchmarkPairs100(b *testing.B)   { pairs(b, 100) }
func BenchmarkPairs1000(b *testing.B)  { pairs(b, 1000) }
func BenchmarkPairs10000(b *testing.B) { pairs(b, 10000) }

// ring: n unbuffered channels and n-1 forwarding goroutines; ns/op is per trip, as in the
// anchors' BenchmarkRing10k.
func ring(b *testing.B, n int) {
	chans := make([]chan int, n)
	for i := range chans {
		chans[i] = make(chan int)
	}
	for i := 0; i < n-1; i++ {
		go func(in, out chan int) {
			for v := range in {
				out <- v
			}
			close(out)
		}(chans[i], chans[i+1])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		chans[0] <- i
		if v := <-chans[n-1]; v != i {
			b.Fatalf("sent %d round the ring, got back %d", i, v)
		}
	}
	close(chans[0])
	for range chans[n-1] {
	}
}

func BenchmarkRing100(b *testing.B)    { ring(b, 100) }
func BenchmarkRing1000(b *testing.B)   { ring(b, 1000) }
func BenchmarkRing10000(b *testing.B)  { ring(b, 10000) }
func BenchmarkRing100000(b *testing.B) { ring(b, 100000) }

// BenchmarkForkJoin10k starts batches of 10,000 goroutines, each adding its number to a shared
// counter, and waits for each batch; ns/op is per goroutine.
func BenchmarkForkJoin10k(b *testing.B) {
	const tasks = 10000
	for done := 0; done < b.N; done += tasks {
		var wg sync.WaitGroup
		var mu sync.Mutex
		sum := 0
		for i := 0; i < tasks; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				mu.Lock()
				sum += i
				mu.Unlock()
			}(i)
		}
		wg.Wait()
		if sum != tasks*(tasks-1)/2 {
			b.Fatalf("sum %d", sum)
		}
	}
}

// TestFootprint prints the heap of an empty unbuffered channel and of an empty buffered(16)
// channel, and the memory per goroutine blocked in a receive on its own empty unbuffered channel
// (stack and heap, from runtime.MemStats), beside Footprint.java's figures.
func TestFootprint(t *testing.T) {
	const n = 10000
	perChannel := func(capacity int) int64 {
		chans := make([]chan int, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range chans {
			chans[i] = make(chan int, capacity)
		}
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(chans)
		return (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	}
	fmt.Printf("empty unbuffered channel: %d bytes\n", perChannel(0))
	fmt.Printf("empty buffered(16) channel of int: %d bytes\n", perChannel(16))

	chans := make([]chan int, n)
	for i := range chans {
		chans[i] = make(chan int)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var started sync.WaitGroup
	for _, c := range chans {
		started.Add(1)
		go func(c chan int) {
			started.Done()
			<-c
		}(c)
	}
	started.Wait()
	runtime.Gosched()
	runtime.GC()
	runtime.ReadMemStats(&after)
	stack := int64(after.StackInuse) - int64(before.StackInuse)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	fmt.Printf("blocked goroutine: %d bytes of stack + %d bytes of heap per goroutine\n", stack/n, heap/n)
	for _, c := range chans {
		c <- 0
	}
}
