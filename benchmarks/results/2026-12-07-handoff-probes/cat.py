import subprocess,sys,re,collections
def load(f):
    out=subprocess.run(['perf','report','-i',f,'--no-children','--sort','sym','--stdio'],capture_output=True,text=True).stdout
    d={}
    for l in out.splitlines():
        m=re.match(r'\s+([\d.]+)%\s+\[(.)\]\s+(.*)',l)
        if m: d[m.group(3).strip()]=d.get(m.group(3).strip(),0)+float(m.group(1))
    return d
cats=[('thaw',r'Thaw|thaw|StackChunkFrameStream|get_oop_map|requires_barriers|oop_access_barrier|memmove|memcpy|prepare_thaw|continuationstubs'),
('freeze',r'Freeze|freeze'),('kernel',r'^\S*$'),('vt/sched',r'VirtualThread|ForkJoin|Continuation|LockSupport|Unsafe'),
('chan',r'csp4j\.channels|SynchronousQueue|Impl\$|RingBenchmark|Pipe'),('interp',r'Interpreter')]
for f,ns in [(sys.argv[1],float(sys.argv[2])),(sys.argv[3],float(sys.argv[4]))]:
    d=load(f); agg=collections.Counter()
    for s,p in d.items():
        for c,r in cats:
            if re.search(r,s): agg[c]+=p; break
        else: agg['other']+=p
    print(f, {c:round(p*ns/100) for c,p in agg.most_common()})
