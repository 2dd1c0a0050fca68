package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// startProfile, when BENCH_PROFILE names a directory, profiles the process
// (the servers run in it) until the returned function is called: CPU into
// <name>-cpu.pprof, and the allocations into <name>-allocs.pprof (read
// with `go tool pprof -sample_index=alloc_space`). "reads" profiles the
// first and deep page measurement (requests one at a time, full rows),
// "throughput" the mutations at 16 clients.
func startProfile(name string) (stop func()) {
	dir := os.Getenv("BENCH_PROFILE")
	if dir == "" {
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		progress("profile: %v", err)
		return func() {}
	}
	cpu, err := os.Create(filepath.Join(dir, name+"-cpu.pprof"))
	if err != nil {
		progress("profile: %v", err)
		return func() {}
	}
	runtime.MemProfileRate = 64 << 10
	if err := pprof.StartCPUProfile(cpu); err != nil {
		progress("profile: %v", err)
		cpu.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		f, err := os.Create(filepath.Join(dir, name+"-allocs.pprof"))
		if err != nil {
			progress("profile: %v", err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			progress("profile: %v", err)
		}
		progress("profiles written to %s", dir)
	}
}
