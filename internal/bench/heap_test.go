package bench

import (
	"runtime/metrics"
	"sync"
	"time"
)

// The runtime/metrics samples whose sum is runtime.MemStats.HeapInuse: the
// bytes in heap spans holding objects (live, or dead and not yet swept),
// plus the free space inside those spans.
var heapInuse = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}

// PeakHeapSampler records the largest heap in use while it runs.
//
// Method: a goroutine reads HeapInuse through runtime/metrics (which,
// unlike runtime.ReadMemStats, does not stop the world) every interval,
// and once more at Stop. A peak shorter than the interval can be missed;
// garbage not yet collected counts, as it occupies memory. The figure is
// the whole process's heap: whatever else is live (the in-process fake
// GitHub and its model, in a full run) is included.
type PeakHeapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	peak uint64
	buf  []metrics.Sample
}

// StartPeakHeap starts sampling every interval.
func StartPeakHeap(interval time.Duration) *PeakHeapSampler {
	p := &PeakHeapSampler{stop: make(chan struct{}), buf: make([]metrics.Sample, len(heapInuse))}
	for i, name := range heapInuse {
		p.buf[i].Name = name
	}
	p.sample()
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.sample()
			}
		}
	}()
	return p
}

func (p *PeakHeapSampler) sample() {
	p.mu.Lock()
	defer p.mu.Unlock()
	metrics.Read(p.buf)
	var sum uint64
	for _, s := range p.buf {
		if s.Value.Kind() == metrics.KindUint64 {
			sum += s.Value.Uint64()
		}
	}
	p.peak = max(p.peak, sum)
}

// Stop ends the sampling and returns the peak in bytes.
func (p *PeakHeapSampler) Stop() uint64 {
	close(p.stop)
	p.done.Wait()
	p.sample()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}
