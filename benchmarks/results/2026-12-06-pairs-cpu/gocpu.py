import resource, subprocess, sys, time
name, n = sys.argv[1], int(sys.argv[2])
t0 = time.time()
out = subprocess.run(['/tmp/gobench', '-test.run', 'XXX', '-test.bench', '^' + name + '$', '-test.benchtime', f'{n}x'],
                     capture_output=True, text=True).stdout
wall = time.time() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
line = [l for l in out.splitlines() if l.startswith('Benchmark')][0]
print(f"{line.split()[0]} {line.split()[2]} ns/op; process cpu {(ru.ru_utime + ru.ru_stime) * 1e9 / n:.1f} ns/el, nvcsw {ru.ru_nvcsw} nivcsw {ru.ru_nivcsw}, wall {wall:.2f} s")
